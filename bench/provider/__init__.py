"""The bench provider's folder (componentized with ``-p bench/provider``)."""
