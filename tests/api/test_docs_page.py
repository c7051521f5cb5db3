"""The interactive docs at /api/docs in Chromium: Swagger UI from the app's own files lists
every operation, with no request leaving the site and nothing refused by the content policy."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (e) => window.__refused.push(
    `${e.effectiveDirective} refused ${e.blockedURI || "inline"}`));
"""


def test_the_docs_page_lists_every_operation_offline(page, live_server):
    elsewhere, console = [], []
    page.context.add_init_script(LISTEN)
    page.on("request", lambda r: None if r.url.startswith(live_server.url)
            or r.url.startswith("data:") else elsewhere.append(r.url))
    page.on("console", lambda m: console.append(m.text) if "Refused" in m.text else None)
    page.goto("/api/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert paths[0] == "/api/events" and len(paths) == 8
    page.wait_for_timeout(200)
    assert page.evaluate("window.__refused") == [] and console == []
    assert elsewhere == []
