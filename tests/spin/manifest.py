"""Check a Spin application manifest (version 2) without Spin.

The rules are those of Spin's manifest reference
(https://spinframework.dev/v3/manifest-reference) and of its schema in
crates/manifest/src/schema/v2 (components deny unknown fields, component
ids are kebab-case, dependency names are plain kebab names or
`namespace:package[/interface][@version]`).
"""

from __future__ import annotations

import glob
import re
import tomllib
from pathlib import Path
from typing import Any

KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
APP_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
OUTBOUND_HOST = re.compile(r"^(\*|[a-z][a-z0-9+.-]*)://[^/\s]+$")
DEPENDENCY_NAME = re.compile(
    r"^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*(/[a-z][a-z0-9-]*)?(@\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?)?$")

COMPONENT_FIELDS = {
    "source", "description", "variables", "environment", "files", "exclude_files", "allowed_http_hosts",
    "allowed_outbound_hosts", "key_value_stores", "sqlite_databases", "ai_models", "targets", "build", "tool",
    "dependencies_inherit_configuration", "dependencies", "profile",
}
BUILD_FIELDS = {"command", "workdir", "watch", "environment"}


def load(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def problems(path: Path, *, built: bool = True) -> list[str]:
    """What is wrong with the manifest at `path`; [] if nothing.

    With `built`, every file the manifest names (component sources,
    dependency paths, build workdirs, watch globs) must exist.
    """
    found: list[str] = []
    try:
        manifest = load(path)
    except tomllib.TOMLDecodeError as exc:
        return [f"not TOML: {exc}"]
    base = path.parent

    def need(condition: bool, message: str) -> None:
        if not condition:
            found.append(message)

    need(manifest.get("spin_manifest_version") == 2, "spin_manifest_version must be the integer 2")
    app = manifest.get("application")
    need(isinstance(app, dict), "[application] is required")
    if isinstance(app, dict):
        need(isinstance(app.get("name"), str) and bool(APP_NAME.match(app["name"])),
             f"application.name must be letters, digits, '-' or '_': {app.get('name')!r}")
        if "version" in app:
            need(isinstance(app["version"], str) and bool(SEMVER.match(app["version"])),
                 f"application.version must be major.minor.patch: {app['version']!r}")
        if "authors" in app:
            need(isinstance(app["authors"], list) and all(isinstance(a, str) for a in app["authors"]),
                 "application.authors must be an array of strings")
        if "description" in app:
            need(isinstance(app["description"], str), "application.description must be a string")

    for name, spec in (manifest.get("variables") or {}).items():
        need(bool(re.match(r"^[a-z][a-z0-9_]*$", name)), f"variable {name!r} must be lower_snake_case")
        need("default" in spec or spec.get("required") is True,
             f"variable {name!r} needs a default or required = true")

    components = manifest.get("component")
    need(isinstance(components, dict) and bool(components), "at least one [component.<id>] is required")
    components = components if isinstance(components, dict) else {}

    triggers = manifest.get("trigger")
    need(isinstance(triggers, dict) and bool(triggers), "at least one [[trigger.<type>]] is required")
    routes: list[str] = []
    for trigger_type, entries in (triggers or {}).items():
        need(isinstance(entries, list), f"trigger.{trigger_type} must be an array of tables ([[trigger.{trigger_type}]])")
        for entry in entries if isinstance(entries, list) else []:
            component = entry.get("component")
            if isinstance(component, str):
                need(component in components, f"trigger.{trigger_type} names a missing component {component!r}")
            else:
                need(isinstance(component, dict), f"trigger.{trigger_type} needs a component")
            if trigger_type == "http":
                route = entry.get("route")
                need(isinstance(route, str) and route.startswith("/") or route == {"private": True},
                     f"trigger.http route must be a path starting with '/': {route!r}")
                if isinstance(route, str):
                    need(route not in routes, f"duplicate route {route!r}")
                    need("..." not in route or route.endswith("/..."), f"'...' only ends a route: {route!r}")
                    routes.append(route)

    for component_id, component in components.items():
        where = f"component.{component_id}"
        need(bool(KEBAB.match(component_id)), f"{where}: component ids are kebab-case")
        unknown = set(component) - COMPONENT_FIELDS
        need(not unknown, f"{where}: unknown fields {sorted(unknown)}")
        source = component.get("source")
        if isinstance(source, str):
            need(not built or (base / source).is_file(), f"{where}.source {source!r} does not exist")
        else:
            need(isinstance(source, dict) and ({"url", "digest"} <= set(source) or "registry" in source),
                 f"{where}.source must be a path or a {{url, digest}} table")
        for host in component.get("allowed_outbound_hosts", []):
            need(isinstance(host, str) and (bool(OUTBOUND_HOST.match(host)) or "{{" in host),
                 f"{where}.allowed_outbound_hosts entry must be scheme://host[:port]: {host!r}")
        environment = component.get("environment", {})
        need(isinstance(environment, dict), f"{where}.environment must be a table")
        for key, value in environment.items() if isinstance(environment, dict) else []:
            need(bool(ENV_NAME.match(key)) and isinstance(value, str),
                 f"{where}.environment: {key!r} must map to a string")
            need("{{" not in str(value), f"{where}.environment is static: Spin does not expand {value!r}")
        if "dependencies_inherit_configuration" in component:
            need(isinstance(component["dependencies_inherit_configuration"], bool),
                 f"{where}.dependencies_inherit_configuration must be a boolean")
        for dep_name, dep in component.get("dependencies", {}).items():
            need(bool(DEPENDENCY_NAME.match(dep_name)) or bool(KEBAB.match(dep_name)),
                 f"{where}.dependencies: bad dependency name {dep_name!r}")
            if isinstance(dep, dict) and "path" in dep:
                need(not built or (base / dep["path"]).is_file(),
                     f"{where}.dependencies.{dep_name!r}: {dep['path']!r} does not exist")
                if ":" in dep_name and "/" not in dep_name:
                    need("export" not in dep, f"{where}: a whole-package dependency may not name an export")
            elif isinstance(dep, dict) and "component" in dep:
                need(dep["component"] in components, f"{where}.dependencies: no component {dep['component']!r}")
            else:
                need(isinstance(dep, str) or (isinstance(dep, dict) and ("version" in dep or "url" in dep)),
                     f"{where}.dependencies.{dep_name!r}: needs path, component, url or version")
        build = component.get("build")
        if build is not None:
            unknown = set(build) - BUILD_FIELDS
            need(not unknown, f"{where}.build: unknown fields {sorted(unknown)}")
            need(isinstance(build.get("command"), (str, list)), f"{where}.build.command is required")
            workdir = base / build.get("workdir", ".")
            need(workdir.is_dir(), f"{where}.build.workdir {str(workdir)!r} does not exist")
            for pattern in build.get("watch", []):
                need(bool(glob.glob(str(workdir / pattern), recursive=True)),
                     f"{where}.build.watch {pattern!r} matches no file")
    return found
