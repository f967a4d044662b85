"""The browser tests' harness for the web app (app/, built into app/dist and served by the Hosting
emulator under firebase.json's headers, Content-Security-Policy included).

    def test_x(app, make_user, viewport):
        page = app.sign_in(make_user("coach"), "/sessions", viewport=viewport)
        page.get_by_role("heading", name="Sessions").wait_for()
        check_screen(page, "coach-sessions")

- ``app`` (fixture, conftest.py): ``app.open(path, viewport=...)`` opens a page in a new browser
  context (its own cookies and storage: another person); ``app.sign_in(user, path, viewport=...)``
  signs ``user`` (from ``make_user``) in through the real sign-in screen and lands on ``path``
  (their home when None); ``app.sign_in_as(role, ...)`` makes the user too and returns both;
  ``fill_sign_in(page, user)`` on a sign-in screen already open (a deep link's ?next=),
  ``sign_out(page)`` through the account menu.
- ``viewport`` (fixture): "phone" (390×844): journeys run on a phone (phone first), and each
  screen they check is checked at a desktop's size too (below). ``VIEWPORTS`` has the sizes
  ("phone", "desktop"); any {"width", "height"} works too.
- ``check_screen(page, name)``: waits for the screen to settle, then fails on axe-core's serious
  or critical violations (listed), on a horizontal scroll, and on any console error or page error
  so far; saves test-results/screens/<name>-<width>x<height>.png (full page) first. A screen
  smaller than a desktop is then resized to 1280×800, checked and saved again, and resized back:
  the desktop layout of every screen is checked without running each journey twice.
- Every console error and uncaught page error of a context fails the test (at the latest when
  the test ends), and so does anything the Content-Security-Policy refused. A test that provokes
  one on purpose says so first: ``allow_errors(page, r"status of 400.*signInWithPassword")``
  (a regular expression searched in "<message> @ <url>").
- ``shot(page, name)``: a screenshot under test-results/browser/ without the checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, WebError

    from devtools.emulators import User

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "test-results" / "screens"
SHOTS = ROOT / "test-results" / "browser"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
# What fails a screen: axe-core's two worst impact levels (moderate and minor are printed only
# when a screen fails for another reason).
SERIOUS = ("serious", "critical")
TIMEOUT_MS = 20_000


@dataclass
class Watch:
    """What went wrong in one browser context: console errors, page errors, CSP refusals."""

    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)
    reported: int = 0  # errors already failed a check_screen (not failed again at the end)

    def console(self, message: ConsoleMessage) -> None:
        if message.type != "error" and "Content Security Policy" not in message.text:
            return
        where = message.location.get("url", "") if message.location else ""
        self.note(f"console: {message.text} @ {where}")

    def page_error(self, error: WebError) -> None:
        self.note(f"page error: {error.error.name}: {error.error.message}")

    def note(self, text: str) -> None:
        if not any(pattern.search(text) for pattern in self.allowed):
            self.errors.append(text)

    def unreported(self) -> list[str]:
        new = self.errors[self.reported :]
        self.reported = len(self.errors)
        return new


_WATCHES: dict[int, Watch] = {}


def watch_of(page: Page) -> Watch:
    return _WATCHES[id(page.context)]


def allow_errors(page: Page, *patterns: str) -> None:
    """Expect these console errors in this page's context (a test that provokes a 4xx): regular
    expressions searched in "console: <message> @ <url>" or "page error: <message>"."""
    watch_of(page).allowed.extend(re.compile(p) for p in patterns)


def viewport_of(viewport: str | dict[str, int] | None) -> dict[str, int]:
    if viewport is None:
        return PHONE
    if isinstance(viewport, str):
        return VIEWPORTS[viewport]
    return viewport


class App:
    """Opens the app served by the Hosting emulator; each ``open`` is another person's browser."""

    def __init__(self, browser: Browser, origin: str, make_user: Callable[..., User]) -> None:
        self.browser = browser
        self.origin = origin
        self.make_user = make_user
        self.contexts: list[BrowserContext] = []

    def url(self, path: str) -> str:
        return f"{self.origin}{path}"

    def context(
        self, viewport: str | dict[str, int] | None = None, **options: Any
    ) -> BrowserContext:
        """A new browser context, watched for errors (``options`` go to ``new_context``)."""
        context = self.browser.new_context(viewport=viewport_of(viewport), **options)
        context.set_default_timeout(TIMEOUT_MS)
        watch = Watch()
        _WATCHES[id(context)] = watch
        context.on("console", watch.console)
        context.on("weberror", watch.page_error)
        self.contexts.append(context)
        return context

    def open(
        self, path: str = "/", *, viewport: str | dict[str, int] | None = None, **options: Any
    ) -> Page:
        """A page of a new context at ``path`` (a signed-out visitor)."""
        page = self.context(viewport, **options).new_page()
        page.goto(self.url(path))
        return page

    def sign_in(
        self,
        user: User,
        path: str | None = None,
        *,
        viewport: str | dict[str, int] | None = None,
        page: Page | None = None,
    ) -> Page:
        """Sign ``user`` in through the sign-in screen, in a new context unless ``page`` is given;
        lands on ``path`` (the sign-in's ``?next=``), else on the person's home."""
        target = "/sign-in" + (f"?next={quote(path, safe='/')}" if path else "")
        if page is None:
            page = self.open(target, viewport=viewport)
        else:
            page.goto(self.url(target))
        fill_sign_in(page, user)
        if path:
            page.wait_for_url(lambda url: url.removeprefix(self.origin).startswith(path))
        return page

    def sign_in_as(
        self, role: str = "athlete", path: str | None = None, **options: Any
    ) -> tuple[Page, User]:
        """A fresh user of ``role`` (make_user), signed in: their page and themselves."""
        user = self.make_user(role)
        return self.sign_in(user, path, **options), user

    def close(self) -> list[str]:
        """Close every context; what went wrong in them and was not yet reported."""
        left: list[str] = []
        for context in self.contexts:
            watch = _WATCHES.pop(id(context))
            left.extend(watch.unreported())
            context.close()
        self.contexts.clear()
        return left


def fill_sign_in(page: Page, user: User) -> None:
    """On the sign-in screen: sign ``user`` in, until the signed-in frame (its navigation) shows."""
    form = page.get_by_role("form", name="Sign in")
    form.get_by_label("E-mail").fill(user.email)
    form.get_by_label("Password").fill(user.password)
    form.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").wait_for()


def sign_out(page: Page) -> None:
    """Sign out through the account menu (a <summary>, which has no ARIA role to find it by)."""
    page.get_by_role("banner").locator("summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()


SETTLED = """() => {
  if (!document.querySelector("h1")) return false;
  const busy = [...document.querySelectorAll('[role="status"], [aria-busy="true"]')];
  return !busy.some((e) => e.getAttribute("aria-busy") === "true"
    || /^(Loading|Starting)/.test(e.textContent.trim()));
}"""

# axe-core is evaluated through the DevTools protocol (page.evaluate), which Hosting's
# Content-Security-Policy (script-src 'self') does not govern; an injected <script> (what
# page.add_script_tag does, even with a path) would be refused, and bypass_csp would switch the
# policy off for the whole context, so the test would no longer see what it refuses.
AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " " + (n.failureSummary || "")
      .replace(/\\s+/g, " ").slice(0, 200)),
  }));
}"""


def settle(page: Page) -> None:
    """Until the screen has its heading and no loading status, and fonts and images are in."""
    page.wait_for_function(SETTLED)
    page.evaluate("document.fonts.ready.then(() => true)")


def accessibility_violations(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    return violations


def screen_file(page: Page, name: str) -> Path:
    size = page.viewport_size or PHONE
    return SCREENS / f"{name}-{size['width']}x{size['height']}.png"


def check_screen(page: Page, name: str, *, settled: bool = True) -> Path:
    """The screen as it stands: settled (unless ``settled=False``: the caller waited), saved as a
    screenshot, then checked: accessibility (axe-core), no horizontal scroll, no console or page
    errors. Returns the screenshot's path."""
    if settled:
        settle(page)
    path = _check_at_this_size(page, name)
    size = page.viewport_size or PHONE
    if size["width"] < DESKTOP["width"]:
        page.set_viewport_size(DESKTOP)
        settle(page)
        _check_at_this_size(page, name)
        page.set_viewport_size(size)
        settle(page)
    return path


def _check_at_this_size(page: Page, name: str) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = screen_file(page, name)
    page.screenshot(path=str(path), full_page=True)
    problems: list[str] = []
    violations = accessibility_violations(page)
    for v in violations:
        if v["impact"] in SERIOUS:
            problems.append(f"axe {v['impact']}: {v['id']} ({v['help']})")
            problems.extend(f"    {node}" for node in v["nodes"])
    if problems:  # the lesser ones too, to see the whole picture
        problems.extend(
            f"axe {v['impact']} (not failing): {v['id']} ({v['help']})"
            for v in violations
            if v["impact"] not in SERIOUS
        )
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    if widths["scroll"] > widths["inner"]:
        wide = page.evaluate(WIDEST)
        problems.append(
            f"horizontal scroll: the page is {widths['scroll']} px wide in {widths['inner']} px"
            f" (past the edge: {wide})"
        )
    problems.extend(watch_of(page).unreported())
    assert not problems, f"screen {name!r} ({path.name}):\n" + "\n".join(problems)
    return path


# The elements that reach past the viewport's right edge, innermost first (a hint for the fix).
WIDEST = """() => {
  const out = [];
  for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (r.right > window.innerWidth + 0.5 && r.width > 0)
      out.push(`${e.tagName.toLowerCase()}.${String(e.className).split(" ")[0]}`
        + ` (right ${Math.round(r.right)})`);
  }
  return out.slice(-5).join(", ");
}"""


def shot(page: Page, name: str, **options: Any) -> bytes:
    """A screenshot under test-results/browser/ (no checks)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return page.screenshot(path=str(SHOTS / f"{name}.png"), **options)
