"""The documents a newcomer reads hold true: every relative link and #anchor in README.md and docs/*.md leads
somewhere, the examples in docs/api.md answer with the demo's data, and every environment variable the settings
read is named in docs/settings.md and .env.example."""

import ast
import json
import re
import shlex
import subprocess  # nosec B404 - runs the documented `python3 -c` pipelines with this interpreter
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from django.core.management import call_command
from django.test import Client

from demo.loader import ADMIN_EMAIL, ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCED = re.compile(r"^```.*?^```[ \t]*$", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
REDIRECTS = {301, 302, 303, 307, 308}


def prose(markdown: str) -> str:
    """The text outside fenced blocks and inline code, where links and headings are real."""
    return INLINE_CODE.sub("", FENCED.sub("", markdown))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its rendered text in lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(FENCED.sub("", path.read_text())):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def test_the_documents_exist():
    assert len(DOCUMENTS) >= 8, [path.name for path in DOCUMENTS]
    assert (ROOT / "docs" / "screenshot.png").exists()


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_relative_link_and_anchor_resolves(document):
    broken = []
    links = LINK.findall(prose(document.read_text()))
    for target in links:
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        path_part, _, anchor = target.partition("#")
        path = (document.parent / path_part).resolve() if path_part else document
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and anchor not in anchors(path):
            broken.append(f"{target}: {path.name} has no heading #{anchor}")
    assert broken == []


def test_the_readme_links_to_every_document():
    readme_links = {target.partition("#")[0] for target in LINK.findall(prose((ROOT / "README.md").read_text()))}
    not_linked = [path.name for path in DOCUMENTS[1:] if f"docs/{path.name}" not in readme_links]
    assert not_linked == []


# -- docs/api.md's examples against the demo ------------------------------------------------------------------


def shell_commands(markdown: str) -> list[str]:
    """The lines of the ```sh blocks, continuations joined, comments left out."""
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", markdown, re.S | re.M):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                commands.append(line.strip())
    return commands


def expand(word: str, variables: dict[str, str]) -> str:
    def value(match):
        name = match.group(1) or match.group(2)
        assert name in variables, f"the example uses ${name} before setting it"
        return variables[name]

    return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, word)


def curl(argv: list[str]):
    """Send what `curl ARGS` would send, through Django's test client (a fresh client each time, as curl keeps no
    cookies between commands). Returns the response after any redirects -L asks to follow."""
    assert argv[0] == "curl", argv
    method, data, follow, url = None, None, False, None
    headers: dict[str, str] = {}
    cookies: dict[str, str] = {}
    args = iter(argv[1:])
    for arg in args:
        if arg == "-s":
            continue
        if arg == "-L":
            follow = True
        elif arg == "-X":
            method = next(args)
        elif arg == "-H":
            name, _, header_value = next(args).partition(":")
            headers[name.strip().lower()] = header_value.strip()
        elif arg == "-d":
            data = next(args)
        elif arg == "-b":
            name, _, cookie_value = next(args).partition("=")
            cookies[name] = cookie_value
        elif arg.startswith("-"):
            raise AssertionError(f"this test does not know curl's {arg}: teach it, or write the example without it")
        else:
            url = arg
    assert url, argv
    method = method or ("POST" if data is not None else "GET")
    content_type = headers.pop("content-type", "application/x-www-form-urlencoded")
    while True:
        parts = urlsplit(url)
        client = Client()
        for name, cookie_value in cookies.items():
            client.cookies[name] = cookie_value
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = client.generic(
            method, path, data or "", content_type=content_type, headers={**headers, "host": parts.netloc}
        )
        if not (follow and response.status_code in REDIRECTS):
            return response
        url, method, data = response["Location"], "GET", None


def has_data(body) -> bool:
    if not body:
        return False
    lists = ("items", "rows", "orders", "lines")
    return not isinstance(body, dict) or all(body[key] for key in lists if key in body)


def run_example(command: str, variables: dict[str, str]) -> None:
    assignment = re.fullmatch(r"([A-Z_]+)=(.*)", command)
    if assignment is None:
        check_answer(command, curl([expand(word, variables) for word in shlex.split(command)]))
        return
    name, value = assignment.groups()
    pipeline = re.fullmatch(r"\$\((.*)\)", value)
    if pipeline is None:
        variables[name] = expand(shlex.split(value)[0], variables)
        return
    request, _, pipe = pipeline.group(1).partition("|")
    response = curl([expand(word, variables) for word in shlex.split(request)])
    check_answer(request, response)
    program = shlex.split(pipe)
    assert program[:2] == ["python3", "-c"], f"{command}: this test runs only `python3 -c` after a pipe"
    done = subprocess.run(  # nosec B603 - this interpreter, running code from our own docs
        [sys.executable, "-c", program[2]], input=response.content, capture_output=True, check=False, timeout=30
    )
    assert done.returncode == 0, f"{command}: {done.stderr.decode()}"
    variables[name] = done.stdout.decode().strip()
    assert variables[name], f"{command}: set {name} to nothing"


def check_answer(command: str, response) -> None:
    method = response.request["REQUEST_METHOD"]
    expected = {"GET": {200}, "POST": {200, 201}, "PATCH": {200}, "DELETE": {200, 204}}[method]
    assert response.status_code in expected, f"{command}: {response.status_code} {response.content[:300]!r}"
    if response.status_code == 204:
        return
    assert response["Content-Type"].startswith("application/json"), f"{command}: {response['Content-Type']}"
    assert has_data(json.loads(response.content)), f"{command}: answered without data: {response.content[:300]!r}"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # the demo's logins and the local test payment page exist only in development
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_every_api_example_answers_with_the_demos_data(demo, settings):
    commands = shell_commands((ROOT / "docs" / "api.md").read_text())
    curls = [command for command in commands if "curl " in command]
    assert len(curls) >= 15, curls
    # The report's example sends the session cookie of a browser signed in to the admin, as the docs say.
    admin = Client()
    assert admin.login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    variables = {"SESSION": admin.cookies[settings.SESSION_COOKIE_NAME].value}
    for command in commands:
        run_example(command, variables)


# -- the settings' environment variables ----------------------------------------------------------------------


def environment_reads(source: str) -> set[str]:
    """Names read by env(...), env.<type>(...), os.environ[...], os.environ.get(...) and os.getenv(...)."""

    def dotted(node) -> str:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            return f"{dotted(node.value)}.{node.attr}"
        return ""

    readers = {"env", "os.environ.get", "os.getenv"}
    names = set()
    for node in ast.walk(ast.parse(source)):
        key = None
        if isinstance(node, ast.Call) and node.args:
            function = dotted(node.func)
            if function in readers or function.startswith("env."):
                key = node.args[0]
        elif isinstance(node, ast.Subscript) and dotted(node.value) == "os.environ":
            key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    return names


def test_environment_reads_are_found_in_every_form():
    source = 'import os\nA = env("A")\nB = env.int("B", default=1)\nC = os.environ["C"]\nD = os.getenv("D")\n'
    source += 'E = f"{env.int(\'E\', default=2)}"\nF = os.environ.get("F")\nG = settings("G")\n'
    assert environment_reads(source) == {"A", "B", "C", "D", "E", "F"}


def settings_variables() -> set[str]:
    names = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        names |= environment_reads(path.read_text())
    return names


def test_every_variable_the_settings_read_is_documented():
    names = settings_variables()
    assert {"SECRET_KEY", "CHECKOUT_RECOVERY", "SCHEDULE_CHECKOUT_REMINDERS_SECONDS"} <= names
    settings_page = (ROOT / "docs" / "settings.md").read_text()
    example = (ROOT / ".env.example").read_text()
    assert sorted(name for name in names if f"`{name}`" not in settings_page) == []
    assert sorted(name for name in names if not re.search(rf"^#? ?{name}=", example, re.M)) == []
