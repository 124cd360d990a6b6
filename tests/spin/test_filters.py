"""The Liquid filters of tests/spin/spin_render.py behave like Spin's.

Expected values are the unit tests of Spin's crates/templates (filters.rs,
run.rs) and of the heck crate (snake.rs, kebab.rs, upper_camel.rs) that
Spin's filters call, for the scripts with spaces between words.
"""

from __future__ import annotations

import pytest

from .spin_render import dotted_pascal_case, http_wildcard, kebab_case, liquid_environment, pascal_case, snake_case

HECK_SNAKE = [
    ("CamelCase", "camel_case"),
    ("This is Human case.", "this_is_human_case"),
    ("MixedUP CamelCase, with some Spaces", "mixed_up_camel_case_with_some_spaces"),
    ("mixed_up_ snake_case with some _spaces", "mixed_up_snake_case_with_some_spaces"),
    ("kebab-case", "kebab_case"),
    ("SHOUTY_SNAKE_CASE", "shouty_snake_case"),
    ("snake_case", "snake_case"),
    ("this-contains_ ALLKinds OfWord_Boundaries", "this_contains_all_kinds_of_word_boundaries"),
    ("XΣXΣ baﬄe", "xσxς_baﬄe"),
    ("XMLHttpRequest", "xml_http_request"),
    ("FIELD_NAME11", "field_name11"),
    ("99BOTTLES", "99bottles"),
    ("FieldNamE11", "field_nam_e11"),
    ("abc123def456", "abc123def456"),
    ("abc123DEF456", "abc123_def456"),
    ("abc123Def456", "abc123_def456"),
    ("abc123DEf456", "abc123_d_ef456"),
    ("ABC123def456", "abc123def456"),
    ("ABC123DEF456", "abc123def456"),
    ("ABC123Def456", "abc123_def456"),
    ("ABC123DEf456", "abc123d_ef456"),
    ("ABC123dEEf456FOO", "abc123d_e_ef456_foo"),
    ("abcDEF", "abc_def"),
    ("ABcDE", "a_bc_de"),
]

HECK_KEBAB = [
    ("CamelCase", "camel-case"),
    ("This is Human case.", "this-is-human-case"),
    ("MixedUP CamelCase, with some Spaces", "mixed-up-camel-case-with-some-spaces"),
    ("mixed_up_ snake_case with some _spaces", "mixed-up-snake-case-with-some-spaces"),
    ("kebab-case", "kebab-case"),
    ("SHOUTY_SNAKE_CASE", "shouty-snake-case"),
    ("snake_case", "snake-case"),
    ("this-contains_ ALLKinds OfWord_Boundaries", "this-contains-all-kinds-of-word-boundaries"),
    ("XΣXΣ baﬄe", "xσxς-baﬄe"),
    ("XMLHttpRequest", "xml-http-request"),
    ("shí shì shī shì shī shì ， shì shī ， shì shí shí shī 。", "shí-shì-shī-shì-shī-shì-shì-shī-shì-shí-shí-shī"),
    ("sek6 sat1 si1 si6 si1 si6 ，si3 si1 ，sai6 sik6 sap6 si1 。", "sek6-sat1-si1-si6-si1-si6-si3-si1-sai6-sik6-sap6-si1"),
    ("YouTube", "you-tube"),
]

HECK_UPPER_CAMEL = [
    ("CamelCase", "CamelCase"),
    ("This is Human case.", "ThisIsHumanCase"),
    ("MixedUP_CamelCase, with some Spaces", "MixedUpCamelCaseWithSomeSpaces"),
    ("mixed_up_ snake_case, with some _spaces", "MixedUpSnakeCaseWithSomeSpaces"),
    ("kebab-case", "KebabCase"),
    ("SHOUTY_SNAKE_CASE", "ShoutySnakeCase"),
    ("snake_case", "SnakeCase"),
    ("this-contains_ ALLKinds OfWord_Boundaries", "ThisContainsAllKindsOfWordBoundaries"),
    ("XΣXΣ baﬄe", "XσxςBaﬄe"),
    ("XMLHttpRequest", "XmlHttpRequest"),
]


@pytest.mark.parametrize(("text", "expected"), HECK_SNAKE)
def test_snake_case_matches_heck(text: str, expected: str) -> None:
    assert snake_case(text) == expected


@pytest.mark.parametrize(("text", "expected"), HECK_KEBAB)
def test_kebab_case_matches_heck(text: str, expected: str) -> None:
    assert kebab_case(text) == expected


@pytest.mark.parametrize(("text", "expected"), HECK_UPPER_CAMEL)
def test_pascal_case_matches_heck(text: str, expected: str) -> None:
    assert pascal_case(text) == expected


def test_dotted_pascal_case_matches_spin() -> None:
    # crates/templates/src/filters.rs, test_dotted_pascal_case
    assert dotted_pascal_case("Fermyon.PetStore") == "Fermyon.PetStore"
    assert dotted_pascal_case("fermyon-pet-store") == "FermyonPetStore"
    assert dotted_pascal_case("fermyon_pet_store") == "FermyonPetStore"
    assert dotted_pascal_case("fermyon.pet-store") == "Fermyon.PetStore"
    assert dotted_pascal_case("fermyon.pet_store") == "Fermyon.PetStore"
    assert dotted_pascal_case("fermyon pet store") == "FermyonPetStore"


def test_http_wildcard_matches_spin() -> None:
    assert http_wildcard("/api") == "/api/..."
    assert http_wildcard("/api/") == "/api/..."
    assert http_wildcard("/api/...") == "/api/..."


def test_filters_are_registered_under_spins_names() -> None:
    # crates/templates/src/run.rs, test_filters, through the Liquid parser
    env = liquid_environment()
    data = {"snaky": "originally_snaky", "kebabby": "originally-kebabby", "dotted": "originally.semi-dotted"}
    assert env.from_string("{{ snaky | kebab_case }}").render(**data) == "originally-snaky"
    assert env.from_string("{{ kebabby | snake_case }}").render(**data) == "originally_kebabby"
    assert env.from_string("{{ snaky | pascal_case }}").render(**data) == "OriginallySnaky"
    assert env.from_string("{{ dotted | dotted_pascal_case }}").render(**data) == "Originally.SemiDotted"


def test_undefined_values_and_filters_are_errors() -> None:
    env = liquid_environment()
    with pytest.raises(Exception, match="undefined"):
        env.from_string("{{ project-nmae }}").render(**{"project-name": "x"})
    with pytest.raises(Exception, match="unknown filter"):
        env.from_string("{{ x | title_case }}").render(x="a")
