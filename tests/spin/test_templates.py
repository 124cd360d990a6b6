"""The Spin templates in templates/: rendered as `spin new` / `spin add`
would (python-liquid with Spin's filters, tests/spin/spin_render.py), then
each generated project is built with its own `make build` against this
repository, its composed server served by a real Wasm runtime, and driven
with the official MCP client. The manifests the templates generate are
checked too. The Spin CLI itself is not used: it cannot be installed here.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
import tomllib
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from liquid import Environment
from mcp import Client

from ..e2e.server import _wait_until_ready, free_port, serve
from ..paths import ROOT
from . import manifest
from .spin_render import Template, kebab_case, liquid_environment, render_add, render_new

pytestmark = pytest.mark.e2e

TEMPLATES = ROOT / "templates"
IDS = ["mcp-python-tools", "mcp-python-resources", "mcp-python-server"]
# The wasmcp flavour's template; tests/wasmcp/test_template.py tests it.
WASMCP_IDS = ["mcp-python-wasmcp"]
BUILD_TIMEOUT = 900
# The files of the repository a project build reads; it must not change them.
REPO_INPUTS = ["wit", "mcp_component", "transport", "compose", "scripts"]


@dataclass
class Case:
    template: str
    project_name: str
    values: dict[str, str]
    endpoint: str
    # MCP_COMPONENT_HOME for make; None: the path rendered into the Makefile.
    home_env: str | None


CASES = {
    # The default mcp-component-home (../mcp-component) does not exist here:
    # the environment variable must win.
    "mcp-python-tools": Case("mcp-python-tools", "Weather Tools",
                             {"project-description": "Tools for the weather; it's sunny {today}."},
                             "/mcp", str(ROOT)),
    "mcp-python-resources": Case("mcp-python-resources", "team_notes",
                                 {"mcp-component-home": str(ROOT)}, "/mcp", None),
    "mcp-python-server": Case("mcp-python-server", "GlossaryServer",
                              {"project-description": "A glossary.", "http-path": "/api/mcp",
                               "mcp-component-home": str(ROOT)}, "/api/mcp", None),
}
ADDED = {"name": "extra-tools", "values": {"http-path": "/tools/mcp", "mcp-component-home": str(ROOT)}}


@dataclass
class Project:
    case: Case
    path: Path
    values: dict[str, str]
    build_log: str = ""
    build_rc: int | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def server(self) -> Path:
        return self.path / "build" / "mcp-http-server.wasm"


@dataclass
class Projects:
    by_id: dict[str, Project]
    added: Project
    repo_changes: list[str]
    unit_tests: dict[str, subprocess.CompletedProcess[str]]


def make_env(home: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MCP_COMPONENT_HOME") and not k.startswith("MCP_")}
    if home is not None:
        env["MCP_COMPONENT_HOME"] = home
    return env


def snapshot() -> dict[str, tuple[int, int]]:
    files = {}
    for top in REPO_INPUTS:
        for path in (ROOT / top).rglob("*"):
            if path.is_file():
                stat = path.stat()
                files[str(path.relative_to(ROOT))] = (stat.st_size, stat.st_mtime_ns)
    return files


def start_build(project: Project) -> subprocess.Popen[str]:
    return subprocess.Popen(["make", "build"], cwd=project.path, env=make_env(project.case.home_env),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish_build(project: Project, process: subprocess.Popen[str], started: float) -> None:
    project.build_log, _ = process.communicate(timeout=BUILD_TIMEOUT)
    project.build_rc = process.returncode
    project.timings["build"] = time.monotonic() - started


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Projects:
    """Render the three templates as new applications, build them in
    parallel, then `spin add` mcp-python-tools into the server project and
    build that component too; run each project's own unit tests."""
    base = tmp_path_factory.mktemp("spin-templates")
    by_id = {}
    for template_id, case in CASES.items():
        dest = base / template_id
        values = render_new(Template(TEMPLATES / template_id), dest, case.project_name, case.values)
        by_id[template_id] = Project(case, dest, values)

    before = snapshot()
    started = time.monotonic()
    running = [(p, start_build(p)) for p in by_id.values()]
    for project, process in running:
        finish_build(project, process, started)

    # `spin add -t mcp-python-tools extra-tools` in the server application.
    server_app = by_id["mcp-python-server"].path
    add_case = Case("mcp-python-tools", ADDED["name"], ADDED["values"], ADDED["values"]["http-path"], None)
    added_values = render_add(Template(TEMPLATES / "mcp-python-tools"), server_app / "spin.toml",
                              ADDED["name"], ADDED["values"])
    added = Project(add_case, server_app / ADDED["name"], added_values)
    # The transport rule was exercised above; reuse its output (newer than
    # its sources, so make keeps it) to build only the provider here.
    tools_transport = by_id["mcp-python-tools"].path / "build" / "transport.wasm"
    if tools_transport.exists():
        (added.path / "build").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tools_transport, added.path / "build" / "transport.wasm")
    started = time.monotonic()
    finish_build(added, start_build(added), started)

    unit_tests = {
        template_id: subprocess.run(["make", "test"], cwd=project.path, env=make_env(project.case.home_env),
                                    capture_output=True, text=True, timeout=300)
        for template_id, project in by_id.items()
    }
    after = snapshot()
    changes = sorted({k for k in before.keys() | after.keys() if before.get(k) != after.get(k)})
    return Projects(by_id, added, changes, unit_tests)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


# -- the templates as Spin reads them ----------------------------------------------

def test_templates_directory_is_what_spin_templates_install_reads() -> None:
    """`spin templates install --dir .` / `--git URL` read every subdirectory
    of ./templates as a template (one with an invalid manifest is skipped)."""
    subdirs = sorted(p.name for p in TEMPLATES.iterdir() if p.is_dir())
    assert subdirs == sorted(IDS + WASMCP_IDS)
    ids = [Template(TEMPLATES / name).id for name in subdirs]
    assert ids == subdirs


TEMPLATE_KEYS = {"manifest_version", "id", "description", "trigger_type", "tags", "new_application",
                 "add_component", "parameters", "outputs"}


@pytest.mark.parametrize("template_id", IDS)
def test_template_metadata_is_what_spin_reads(template_id: str) -> None:
    root = TEMPLATES / template_id
    meta = tomllib.loads((root / "metadata" / "spin-template.toml").read_text())
    assert meta["manifest_version"] == "1"
    assert meta["id"] == template_id
    assert set(meta) <= TEMPLATE_KEYS, "Spin's template manifest denies unknown fields"
    assert "custom_filters" not in meta
    assert set(meta["add_component"]) <= {"supported", "skip_files", "skip_parameters", "snippets", "conditions"}
    for snippet_id, name in meta["add_component"]["snippets"].items():
        assert snippet_id in ("component", "application_trigger", "variables")
        assert (root / "metadata" / "snippets" / name).is_file()
    for name in meta["add_component"]["skip_files"]:
        assert (root / "content" / name).is_file()
    template = Template(root)
    for name, spec in template.parameters.items():
        assert set(spec) <= {"type", "prompt", "default", "pattern", "allowed_values"}, name
        assert spec["type"] == "string" and spec["prompt"]
        assert name not in ("project-name", "authors", "username", "output-path"), "Spin provides these"
    # the defaults must satisfy their own patterns
    template.values("x", {}, output_path="x", authors="", username="")
    # Spin tells a v2 template from a v1 one by this exact text
    assert "spin_manifest_version = 2" in (root / "content" / "spin.toml").read_text()


@pytest.mark.parametrize("template_id", IDS)
def test_template_files_are_clean_liquid(template_id: str) -> None:
    root = TEMPLATES / template_id
    env: Environment = liquid_environment()
    for path in sorted(root.rglob("*")):
        assert "__pycache__" not in path.parts and path.suffix != ".pyc", f"{path}: Spin would copy it"
        assert path.suffix != ".tmpl", "older Spin versions do not strip .tmpl"
        assert "{{" not in path.name, "older Spin versions do not render file names"
        if path.is_file():
            env.from_string(path.read_text(encoding="utf-8"))  # Spin copies unparsable files verbatim


def test_templates_share_their_build_files() -> None:
    for name in ("content/Makefile", "content/.gitignore", "content/spin.toml", "metadata/snippets/component.txt"):
        texts = {(TEMPLATES / t / name).read_text() for t in IDS}
        assert len(texts) == 1, f"{name} differs between the templates"
    params = {tomllib.loads((TEMPLATES / t / "metadata" / "spin-template.toml").read_text())["parameters"].__repr__()
              for t in IDS}
    assert len(params) == 1


def test_parameters_refuse_values_that_break_the_generated_files(tmp_path: Path) -> None:
    template = Template(TEMPLATES / "mcp-python-tools")
    for values in ({"http-path": "/..."}, {"http-path": "mcp"}, {"http-path": "/a b"},
                   {"project-description": 'say "hi"'}, {"project-description": "back\\slash"},
                   {"mcp-component-home": "/path with space"}, {"nope": "x"}):
        with pytest.raises(ValueError):
            render_new(template, tmp_path / "x", "x", values)


# -- rendered projects ------------------------------------------------------------

@pytest.mark.parametrize("template_id", IDS)
def test_rendered_project_has_its_files_fully_rendered(projects: Projects, template_id: str) -> None:
    project = projects.by_id[template_id]
    sources = {p.name for p in project.path.iterdir() if p.is_file()}
    assert sources == {"app.py", "test_app.py", "Makefile", "README.md", "spin.toml", ".gitignore"}
    for name in sources:
        text = (project.path / name).read_text()
        for marker in ("{{", "}}", "{%", "%}"):
            assert marker not in text, f"{name}: unrendered Liquid {marker!r}"
    readme = (project.path / "README.md").read_text()
    assert readme.startswith(f"# {project.case.project_name}\n")
    for command in ("make build", "spin build", "spin up", "make serve", "make test", "spin deploy",
                    "export MCP_COMPONENT_HOME=", "MCP_ALLOWED_HOSTS"):
        assert command in readme
    assert f"http://127.0.0.1:3000{project.case.endpoint}" in readme
    makefile = (project.path / "Makefile").read_text()
    home = project.values["mcp-component-home"]
    assert f"MCP_COMPONENT_HOME ?= {home}\n" in makefile
    assert f"MCP_ENDPOINT ?= {project.case.endpoint}\n" in makefile


@pytest.mark.parametrize("template_id", IDS)
def test_generated_project_builds_into_its_own_build_dir(projects: Projects, template_id: str) -> None:
    project = projects.by_id[template_id]
    assert project.build_rc == 0, project.build_log
    for name in ("transport.wasm", "provider.wasm", "mcp-http-server.wasm"):
        assert (project.path / "build" / name).is_file()
    assert "imports WASI only" in project.build_log
    print(f"\n{template_id}: make build {project.timings['build']:.0f} s")


def test_building_leaves_the_repository_alone(projects: Projects) -> None:
    assert projects.repo_changes == [], "building or testing a generated project changed the repository"


@pytest.mark.parametrize("template_id", IDS)
def test_generated_project_unit_tests_pass(projects: Projects, template_id: str) -> None:
    result = projects.unit_tests[template_id]
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout


@pytest.mark.parametrize("template_id", IDS)
def test_generated_spin_manifest_is_valid_and_complete(projects: Projects, template_id: str) -> None:
    project = projects.by_id[template_id]
    path = project.path / "spin.toml"
    assert manifest.problems(path) == []  # after the build: every file it names exists
    data = manifest.load(path)
    component_id = kebab_case(project.case.project_name)
    assert data["application"]["name"] == component_id
    assert data["application"]["description"] == project.values["project-description"]
    assert data["application"]["authors"] == ["Test Author <test@example.com>"]
    # (the server project also holds the component `spin add` appended)
    triggers = [t for t in data["trigger"]["http"] if t["component"] == component_id]
    assert [t["route"] for t in triggers] == [
        project.case.endpoint, "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/..."]
    component = data["component"][component_id]
    assert component["source"] == "build/mcp-http-server.wasm"
    assert component["environment"] == {"MCP_ENDPOINT": project.case.endpoint}
    assert component["allowed_outbound_hosts"] == []
    assert component["build"] == {"command": "make build", "watch": ["app.py", "Makefile"]}


def test_spin_add_appends_a_working_component(projects: Projects) -> None:
    app = projects.by_id["mcp-python-server"]
    added = projects.added
    assert added.build_rc == 0, added.build_log
    assert not (added.path / "spin.toml").exists(), "add_component.skip_files keeps spin.toml out"
    path = app.path / "spin.toml"
    assert manifest.problems(path) == []  # the appended source exists after its build
    data = manifest.load(path)
    routes = {t["route"]: t["component"] for t in data["trigger"]["http"]}
    assert routes["/api/mcp"] == "glossary-server"
    assert routes["/tools/mcp"] == "extra-tools"
    extra = data["component"]["extra-tools"]
    assert extra["source"] == "extra-tools/build/mcp-http-server.wasm"
    assert extra["build"]["workdir"] == "extra-tools"
    assert extra["environment"] == {"MCP_ENDPOINT": "/tools/mcp"}


# -- served by a real runtime, driven by the official client ------------------------

def serve_project(project: Project) -> AbstractContextManager[str]:
    assert project.build_rc == 0, project.build_log
    return serve(project.server.resolve(), endpoint=project.case.endpoint, MCP_ENDPOINT=project.case.endpoint)


def test_tools_server_answers_the_official_client(projects: Projects) -> None:
    project = projects.by_id["mcp-python-tools"]

    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            listed = await client.list_tools()
            greeting = await client.call_tool("greet", {"name": "Ada", "style": "excited"})
            counted = await client.call_tool("count_words", {"text": "one two three"})
            added = await client.call_tool("add_numbers", {"numbers": [1.5, 2.25, 3]})
            refused = await client.call_tool("greet", {"name": " "})
            return client.server_info, client.server_capabilities, listed, greeting, counted, added, refused

    with serve_project(project) as url:
        info, capabilities, listed, greeting, counted, added, refused = run(go())
    assert info.name == "weather-tools"
    assert capabilities.tools is not None and capabilities.resources is None and capabilities.prompts is None
    assert [t.name for t in listed.tools] == ["greet", "count_words", "add_numbers"]
    assert greeting.content[0].text == "Hello, Ada!"
    assert counted.structured_content == {"words": 3, "characters": 13, "longest_word": "three"}
    assert added.structured_content == {"result": 6.75}
    assert refused.is_error is True


def test_resources_server_answers_the_official_client(projects: Projects) -> None:
    project = projects.by_id["mcp-python-resources"]

    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            resources = await client.list_resources()
            templates = await client.list_resource_templates()
            note = await client.read_resource("notes://notes/welcome")
            prompts = await client.list_prompts()
            prompt = await client.get_prompt("summarize_note", {"name": "ideas", "words": "10"})
            return client.server_info, client.server_capabilities, resources, templates, note, prompts, prompt

    with serve_project(project) as url:
        info, capabilities, resources, templates, note, prompts, prompt = run(go())
    assert info.name == "team-notes"
    assert capabilities.tools is None and capabilities.resources is not None and capabilities.prompts is not None
    assert [str(r.uri) for r in resources.resources] == ["notes://index"]
    assert [t.uri_template for t in templates.resource_templates] == ["notes://notes/{name}"]
    assert note.contents[0].text.startswith("Welcome!")
    assert [p.name for p in prompts.prompts] == ["summarize_note"]
    assert "at most 10 words" in prompt.messages[0].content.text


def test_full_server_answers_the_official_client_at_its_own_path(projects: Projects) -> None:
    project = projects.by_id["mcp-python-server"]

    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            tools = await client.list_tools()
            defined = await client.call_tool("define", {"term": "MCP"})
            slugs = await client.call_tool("slugify", {"titles": ["Hello, World!", "Crème brûlée"]})
            terms = await client.read_resource("glossary://terms")
            prompt = await client.get_prompt("explain_term", {"term": "wit"})
            return client.server_info, tools, defined, slugs, terms, prompt

    with serve_project(project) as url:
        assert url.endswith("/api/mcp")
        info, tools, defined, slugs, terms, prompt = run(go())
    assert info.name == "glossary-server"
    assert [t.name for t in tools.tools] == ["define", "slugify"]
    assert defined.structured_content["term"] == "mcp"
    assert slugs.structured_content == {"result": ["hello-world", "creme-brulee"]}
    assert terms.contents[0].text == '["component","mcp","wit"]'
    assert "WebAssembly Interface Types" in prompt.messages[0].content.text


def test_added_component_answers_the_official_client(projects: Projects) -> None:
    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            return client.server_info, await client.call_tool("greet", {"name": "Spin"})

    with serve_project(projects.added) as url:
        info, greeting = run(go())
    assert info.name == "extra-tools"
    assert greeting.content[0].text == "Hello, Spin."


def test_generated_make_serve_serves_at_the_endpoint(projects: Projects, tmp_path: Path) -> None:
    """The README's `make serve PORT=...` (wasmtime if installed, else jco)."""
    project = projects.by_id["mcp-python-server"]
    assert project.build_rc == 0, project.build_log
    port = free_port()
    url = f"http://127.0.0.1:{port}{project.case.endpoint}"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(["make", "serve", f"PORT={port}"], cwd=project.path,
                                   env=make_env(project.case.home_env), stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            _wait_until_ready(url, process, str(log))

            async def go() -> Any:
                async with Client(url, mode="legacy") as client:
                    return await client.call_tool("define", {"term": "wit"})

            assert run(go()).structured_content["term"] == "wit"
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
    assert f"MCP endpoint: {url}" in log.read_text()
