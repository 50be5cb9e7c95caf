"""The HTML report opened in a real browser: headless Chromium (Debian's ``chromium``,
which ``.ci/run`` installs), driven through the DevTools protocol with the standard
library only (a tiny WebSocket client below).

What a person sees is asserted: the verdict above the fold on a laptop and on a phone,
the sections, the chart; no console error, no request leaving the page (the report is
opened from ``file://`` and nothing is served). A screenshot is written to the test's
folder and to ``benchmarks/out/`` for a human to look at.

``benchmarks/html_report.py`` uses :class:`Chromium` too (loaded from this file).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
SHOTS = ROOT / "benchmarks" / "out"


def chromium_path() -> str | None:
    """The Chromium binary (``MAILCHECK_CHROMIUM``, else ``chromium`` on the PATH)."""
    named = os.environ.get("MAILCHECK_CHROMIUM")
    if named:
        return named
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class _WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol: text frames, client-masked."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        match = re.match(r"ws://([^/:]+):(\d+)(/.*)", url)
        if not match:
            raise ValueError(f"not a ws:// URL: {url}")
        host, port, path = match.group(1), int(match.group(2)), match.group(3)
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            response += chunk
        if b" 101 " not in response.split(b"\r\n", 1)[0]:
            raise ConnectionError(response.split(b"\r\n", 1)[0].decode(errors="replace"))
        self.buffer = response.split(b"\r\n\r\n", 1)[1]

    def send(self, text: str) -> None:
        payload = text.encode()
        header = bytearray([0x81])
        size = len(payload)
        if size < 126:
            header.append(0x80 | size)
        elif size < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", size)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", size)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes(header) + mask + masked)

    def _read(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def receive(self) -> str:
        message = b""
        while True:
            first, second = self._read(2)
            size = second & 0x7F
            if size == 126:
                size = struct.unpack(">H", self._read(2))[0]
            elif size == 127:
                size = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(size)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise ConnectionError("DevTools closed the WebSocket")
            if opcode in (0x9, 0xA):  # ping / pong: not for us
                continue
            message += payload
            if first & 0x80:
                return message.decode()

    def close(self) -> None:
        self.sock.close()


class Chromium:
    """A headless Chromium and one page, driven through the DevTools protocol.

    Everything the page does is recorded: ``requests`` (every URL it asked for),
    ``errors`` (console errors, uncaught exceptions, log entries of level error)."""

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="mailcheck-chromium-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                # A request that would leave the page fails here (and is recorded).
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.ws = _WebSocket(self._page_url(self._browser_port()))
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")

    def _browser_port(self) -> int:
        deadline = time.monotonic() + 30
        assert self.process.stderr is not None
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line and self.process.poll() is not None:
                break
            match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if match:
                return int(match.group(1))
        raise RuntimeError("Chromium did not start its DevTools endpoint")

    def _page_url(self, port: int) -> str:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                pages = [p for p in json.load(r) if p.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.1)
        raise RuntimeError("Chromium opened no page")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.receive())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, event: str, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        self.ws.sock.settimeout(timeout)
        while time.monotonic() < deadline:
            message = json.loads(self.ws.receive())
            if "method" in message:
                self.events.append(message)
                if message["method"] == event:
                    return message
        raise TimeoutError(event)

    def open(self, path: Path, width: int = 1280, height: int = 800, mobile: bool = False) -> float:
        """Load ``path`` at that viewport; return the seconds until its load event."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        self.events.clear()
        started = time.monotonic()
        self.call("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        return time.monotonic() - started

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def screenshot(self, target: Path, full_page: bool = False) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", **params)["data"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(data))
        return target

    @property
    def requests(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e["method"] == "Network.requestWillBeSent"
        ]

    @property
    def errors(self) -> list[str]:
        found = []
        for event in self.events:
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                found.append(str(params.get("exceptionDetails", {}).get("text")))
            elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") in (
                "error",
                "assert",
            ):
                found.append(str(params.get("args")))
            elif event["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(str(params["entry"].get("text")))
        return found

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


# -- tests ----------------------------------------------------------------------------

LOOK = """(() => {
  const verdict = document.getElementById('verdict');
  const box = verdict.getBoundingClientRect();
  const style = getComputedStyle(verdict);
  return {
    lang: document.documentElement.lang,
    verdict: verdict.innerText,
    verdictTop: box.top, verdictBottom: box.bottom, viewport: innerHeight,
    verdictShown: style.display !== 'none' && style.visibility !== 'hidden' && box.height > 0,
    overflow: document.documentElement.scrollWidth - innerWidth,
    headings: [...document.querySelectorAll('h1, h2')].map(h => h.innerText),
    files: document.querySelectorAll('section.file').length,
    chart: document.querySelectorAll('section.chart svg rect').length,
    landmarks: ['header', 'main', 'footer', 'nav'].filter(t => document.querySelector(t)),
    resources: performance.getEntriesByType('resource').map(r => r.name),
  };
})()"""


COLOURS = """(() => {
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
    }
    return 'rgb(255, 255, 255)';
  };
  const picked = ['.verdict', '.count.error', '.count.warning', '.count.info', '.badge.ok',
    '.scope', '.more', '.where', '.explain', 'a', 'pre code', 'mark', 'dt', 'footer p'];
  return picked.map(s => document.querySelector(s)).filter(Boolean).map(el => ({
    what: el.className || el.tagName, fg: getComputedStyle(el).color, bg: background(el),
  }));
})()"""


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two ``rgb(r, g, b)`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(v) / 255 for v in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture(scope="module")
def browser():
    binary = chromium_path()
    if binary is None:
        pytest.skip(
            "Chromium is not installed (apt-get install chromium; .ci/run installs it): "
            "the HTML report is not checked in a browser"
        )
    chromium = Chromium(binary)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """The report of the fixtures, in English and in French."""
    from click.testing import CliRunner

    from mailcheck import cli

    folder = tmp_path_factory.mktemp("html-report")
    made = {}
    for language in ("en", "fr"):
        target = folder / f"rapport-{language}.html"
        result = CliRunner().invoke(
            cli.main,
            [
                "lint",
                str(FIXTURES),
                "--today",
                "2026-11-22",
                "--lang",
                language,
                "--output-format",
                "html",
                "-o",
                str(target),
            ],
            env={"MAILCHECK_FINGERPRINT_KEY": "k"},
            catch_exceptions=False,
        )
        assert result.exit_code == 1, result.stderr
        made[language] = target
    return made


@pytest.mark.parametrize("language", ["en", "fr"])
def test_what_a_person_sees(browser, reports, language, tmp_path):
    seconds = browser.open(reports[language])
    seen = browser.evaluate(LOOK)
    assert seen["lang"] == language
    expected = {"en": "Do not send as is: ", "fr": "Ne pas envoyer en l'état : "}[language]
    assert seen["verdict"].startswith(expected)
    # Above the fold: wholly inside the first screen of a laptop.
    assert seen["verdictShown"] and 0 <= seen["verdictTop"] < seen["verdictBottom"]
    assert seen["verdictBottom"] <= seen["viewport"]
    assert set(seen["landmarks"]) == {"header", "main", "footer", "nav"}
    assert seen["files"] > 50 and seen["chart"] >= 6
    headings = " | ".join(seen["headings"])
    for heading in {
        "en": ("Compliance report", "File by file", "About this run", "last activity"),
        "fr": ("Rapport de conformité", "Fichier par fichier", "À propos", "dernière activité"),
    }[language]:
        assert heading in headings
    assert browser.errors == []
    assert seen["resources"] == []
    assert all(url.startswith("file://") for url in browser.requests), browser.requests
    shot = browser.screenshot(tmp_path / f"rapport-{language}.png")
    assert shot.stat().st_size > 10_000
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, SHOTS / f"html-report-{language}.png")
    assert seconds < 30


def test_texts_keep_a_contrast_of_aa(browser, reports):
    browser.open(reports["en"])
    pairs = browser.evaluate(COLOURS)
    assert len(pairs) >= 10
    for pair in pairs:
        assert contrast(pair["fg"], pair["bg"]) >= 4.5, pair


def test_usable_on_a_phone(browser, reports, tmp_path):
    browser.open(reports["fr"], width=390, height=844, mobile=True)
    seen = browser.evaluate(LOOK)
    assert seen["verdictShown"] and seen["verdictBottom"] <= seen["viewport"]
    assert seen["overflow"] <= 1, "the page scrolls sideways on a phone"
    assert browser.errors == []
    shot = browser.screenshot(tmp_path / "rapport-phone.png")
    shutil.copyfile(shot, SHOTS / "html-report-phone.png")


def test_a_request_leaving_the_page_would_be_seen(browser, tmp_path):
    """The check itself works: a page loading an image from elsewhere is caught."""
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><html lang="en"><img src="https://example.com/x.png">')
    browser.open(page)
    assert any(url.startswith("https://example.com/") for url in browser.requests)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_campaign_report_in_a_browser(browser, language, tmp_path):
    # mailcheck campaign --output-format html: the verdict first, on a phone too.
    from click.testing import CliRunner

    from mailcheck import cli

    target = tmp_path / f"campagne-{language}.html"
    result = CliRunner().invoke(
        cli.main,
        [
            "campaign",
            str(FIXTURES / "campaign" / "campaign.toml"),
            "--lang",
            language,
            "--output-format",
            "html",
            "-o",
            str(target),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 1, result.stderr  # NO-GO as given
    browser.open(target, width=390, height=844, mobile=True)
    seen = browser.evaluate(
        "(() => { const h = document.querySelector('[data-verdict]');"
        " const box = h.getBoundingClientRect();"
        " return {lang: document.documentElement.lang, verdict: h.dataset.verdict,"
        " text: h.textContent, bottom: box.bottom, viewport: window.innerHeight,"
        " wide: document.documentElement.scrollWidth > window.innerWidth}; })()"
    )
    assert seen["lang"] == language and seen["verdict"] == "NO-GO"
    assert {"en": "GO with the send list", "fr": "GO avec la liste d'envoi"}[language] in (
        seen["text"]
    )
    assert seen["bottom"] <= seen["viewport"] and not seen["wide"]
    assert browser.errors == []
    assert all(url.startswith("file://") for url in browser.requests), browser.requests
    assert browser.screenshot(tmp_path / "campagne.png").stat().st_size > 5_000
