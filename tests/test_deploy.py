"""Production settings: `check --deploy` is clean with a production environment, every response
carries the content security policy, only the widget may be framed, and no template needs an
inline style or script the policy would refuse."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

import nightout.settings

ROOT = Path(nightout.settings.BASE_DIR)
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "nno.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://nno.example.org",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "CLIENT_IP_HEADER": "X-Real-IP",
    "EMAIL_URL": "smtp+tls://nightout:secret@mail.example.org:587",
    "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    "CACHE_URL": "dbcache://nightout_cache",
}


def nightout(*args: str, env: dict) -> subprocess.CompletedProcess:
    database = {"DATABASE_URL": os.environ["DATABASE_URL"]} if "DATABASE_URL" in os.environ else {}
    return subprocess.run(
        [sys.executable, "-m", "nightout", *args], cwd="/", capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "NIGHTOUT_ENV_FILE": "/dev/null", **database, **env},
        timeout=120,
    )


def setting(name: str, env: dict) -> str:
    result = nightout("shell", "-v", "0", "-c",
                      f"from django.conf import settings; print(settings.{name})", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_is_clean_with_a_production_environment():
    result = nightout("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_https_is_not_required():
    plain = {**PRODUCTION, "SECURE_COOKIES": "false", "SECURE_SSL_REDIRECT": "false"}
    result = nightout("check", "--deploy", "--fail-level", "WARNING", env=plain)
    assert result.returncode != 0
    for check in ("security.W008", "security.W012", "security.W016"):
        assert check in result.stderr + result.stdout


def test_production_serves_static_files_through_whitenoise_from_a_manifest():
    assert setting('STORAGES["staticfiles"]["BACKEND"]', PRODUCTION) == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage")
    assert setting("SECURE_PROXY_SSL_HEADER", PRODUCTION) == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_behind_a_proxy_rate_limits_count_the_visitors_address_it_passes():
    assert setting("RATELIMIT_IP_META_KEY", {**PRODUCTION, "CLIENT_IP_HEADER": "X-Real-IP"}) == (
        "HTTP_X_REAL_IP")


def test_the_map_tile_server_may_serve_images_and_nothing_else():
    tiles = {**PRODUCTION, "MAP_TILES_URL": "https://{s}.tiles.example.net/{z}/{x}/{y}.png"}
    assert setting('SECURE_CSP["img-src"]', tiles) == (
        "[<CSP.SELF: \"'self'\">, 'data:', 'https://*.tiles.example.net']")
    assert "tiles.example.net" not in setting('SECURE_CSP["script-src"]', tiles)


def test_a_rollout_can_report_the_policy_without_enforcing_it():
    rollout = {**PRODUCTION, "CSP_REPORT_ONLY": "true", "CSP_REPORT_URI": "/csp-reports/"}
    assert setting("SECURE_CSP", rollout) == "{}"
    assert "/csp-reports/" in setting("SECURE_CSP_REPORT_ONLY", rollout)


@pytest.mark.django_db
def test_pages_carry_the_policy_and_refuse_to_be_framed(client):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_widget_may_be_framed_by_a_towns_own_site(client, jurisdiction):
    response = client.get(f"/widget/{jurisdiction.slug}/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "script-src 'self'" in policy


TEMPLATES = sorted(ROOT.glob("nightout/**/templates/**/*.html"))
REFUSED = {
    "a style attribute": re.compile(r"<[a-zA-Z][^<>]*\sstyle\s*="),
    "an inline event handler": re.compile(r"<[a-zA-Z][^<>]*\son[a-z]+\s*=", re.I),
    "a javascript: link": re.compile(r"javascript:", re.I),
    "an inline script without the nonce": re.compile(
        r"<script(?![^>]*\b(?:src|nonce)=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"),
    "a <style> element without the nonce": re.compile(r"<style(?![^>]*\bnonce=)[^>]*>"),
}


def test_the_templates_were_found():
    assert len(TEMPLATES) > 30


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_needs_what_the_policy_refuses(template):
    text = template.read_text()
    found = [what for what, pattern in REFUSED.items() if pattern.search(text)]
    assert found == []



def with_env_file(text: str, tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`python *args` reading its settings from a file holding `text` (and nothing else)."""
    env_file = tmp_path / ".env"
    env_file.write_text(text)
    passed = {k: os.environ[k] for k in ("DATABASE_URL", "PYTHONPATH") if k in os.environ}
    return subprocess.run(
        [sys.executable, *args], cwd="/", capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "NIGHTOUT_ENV_FILE": str(env_file), **passed, **env})


def test_the_example_settings_pass_the_deploy_checks_without_a_warning(tmp_path):
    """Copied as it is (with a secret key, which no example may carry), .env.example is safe
    for production."""
    example = (ROOT / ".env.example").read_text()
    assert re.search(r"^SECRET_KEY=$", example, flags=re.M)
    result = with_env_file(example, tmp_path, "-m", "nightout", "check", "--deploy",
                           "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_examples_development_block_wins_when_uncommented(tmp_path):
    example = (ROOT / ".env.example").read_text()
    start = example.index("# -- On your own machine")
    end = example.find("\n\n", start)
    end = len(example) if end == -1 else end
    block = re.sub(r"^# ([A-Z_]+=)", r"\1", example[start:end], flags=re.M)
    assert "\nDEBUG=true" in block
    result = with_env_file(
        example[:start] + block + example[end:], tmp_path, "-c",
        "import nightout.settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.MAILERS['default']['BACKEND'])")
    assert result.stdout.split() == [
        "True", "False", "False", "0", "django.core.mail.backends.console.EmailBackend"], (
        result.stderr)
