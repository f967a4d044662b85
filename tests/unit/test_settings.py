"""settings.py: the CORS origins and the analysis backend's keys, from the deployment's
configuration."""

from __future__ import annotations

import re

import pytest

from sessionbase import settings


def test_deployed_without_configuration_only_hosting_origins(deployed):
    assert settings.cors_origins() == [
        "https://demo-sessionbase.web.app",
        "https://demo-sessionbase.firebaseapp.com",
    ]


def test_the_emulator_allows_any_origin(deployed):
    deployed.setenv("FUNCTIONS_EMULATOR", "true")
    assert settings.cors_origins() == "*"


def test_configured_origins_win(deployed):
    deployed.setenv("SESSIONBASE_CORS_ORIGINS", "https://app.example, https://admin.example")
    assert settings.cors_origins() == ["https://app.example", "https://admin.example"]
    deployed.setenv("SESSIONBASE_CORS_ORIGINS", "*")
    assert settings.cors_origins() == "*"


def test_a_deployed_function_refuses_an_emulator_host():
    deployed = {"K_SERVICE": "api", "FIRESTORE_EMULATOR_HOST": "127.0.0.1:8080"}
    with pytest.raises(RuntimeError, match="FIRESTORE_EMULATOR_HOST"):
        settings.refuse_emulators_when_deployed(deployed)
    with pytest.raises(RuntimeError, match="FIREBASE_AUTH_EMULATOR_HOST"):
        settings.refuse_emulators_when_deployed(
            {"K_SERVICE": "api", "FIREBASE_AUTH_EMULATOR_HOST": "127.0.0.1:9099"}
        )


def test_emulator_hosts_are_fine_under_the_emulator_or_outside_a_deployment():
    emulated = {"K_SERVICE": "api", "FUNCTIONS_EMULATOR": "true", "FIRESTORE_EMULATOR_HOST": "x"}
    settings.refuse_emulators_when_deployed(emulated)
    settings.refuse_emulators_when_deployed({"FIRESTORE_EMULATOR_HOST": "127.0.0.1:8080"})
    settings.refuse_emulators_when_deployed({"K_SERVICE": "api"})


STRONG = "7d1c0b4e9a2f68351e0c7b9d4a6f2e8150c3b7a9d2e4f6081a3c5e7b9d0f2a4c"
PREVIOUS = "Zr4qP9xW2mK7vL1nB8cT5yH3jD6gF0sA"


def test_the_backend_key_is_the_current_one_then_the_previous_one():
    assert settings.parse_analysis_keys(STRONG) == (STRONG,)
    assert settings.parse_analysis_keys(f" {STRONG} , {PREVIOUS}\n") == (STRONG, PREVIOUS)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "SESSIONBASE_ANALYSIS_SECRET is not set"),
        (" ", "SESSIONBASE_ANALYSIS_SECRET is not set"),
        ("s3cret", "SESSIONBASE_ANALYSIS_SECRET: the current key is 6 characters long"),
        (f"{STRONG},short", "SESSIONBASE_ANALYSIS_SECRET: the previous key is 5 characters long"),
        ("ab" * 20, "the current key repeats a pattern of 2 characters"),
        (f"{STRONG},{STRONG}", "the previous key is the current key"),
        (f"{STRONG},{PREVIOUS},{PREVIOUS}x", "holds 3 keys"),
    ],
)
def test_a_missing_or_weak_backend_key_is_refused_naming_the_variable(value, problem):
    """Issue 21 (10): any secret was accepted, even an empty or a one-letter one."""
    with pytest.raises(settings.InvalidConfiguration, match=re.escape(problem)):
        settings.parse_analysis_keys(value)


def test_only_a_deployment_with_a_backend_checks_its_key():
    url = {"SESSIONBASE_ANALYSIS_BACKEND_URL": "https://backend.example/analyze"}
    settings.refuse_weak_analysis_keys({})  # the built-in analyzer: no key needed
    settings.refuse_weak_analysis_keys({"SESSIONBASE_ANALYSIS_SECRET": "weak"})
    settings.refuse_weak_analysis_keys({**url, "SESSIONBASE_ANALYSIS_SECRET": STRONG})
    with pytest.raises(settings.InvalidConfiguration, match="SESSIONBASE_ANALYSIS_SECRET"):
        settings.refuse_weak_analysis_keys({**url, "SESSIONBASE_ANALYSIS_SECRET": "weak"})
    with pytest.raises(settings.InvalidConfiguration, match="is not set"):
        settings.refuse_weak_analysis_keys(url)


def test_invitations_last_30_days_unless_configured(monkeypatch):
    from datetime import timedelta

    from sessionbase.domain.invitations import INVITATION_LIFETIME

    monkeypatch.delenv("SESSIONBASE_INVITATION_DAYS", raising=False)
    assert settings.invitation_lifetime() == timedelta(days=30) == INVITATION_LIFETIME
    monkeypatch.setenv("SESSIONBASE_INVITATION_DAYS", "14")
    assert settings.invitation_lifetime() == timedelta(days=14)
    for bad in ("0", "-3", "366", "a week"):
        monkeypatch.setenv("SESSIONBASE_INVITATION_DAYS", bad)
        with pytest.raises(settings.InvalidConfiguration, match="SESSIONBASE_INVITATION_DAYS"):
            settings.invitation_lifetime()


def test_notifications_are_kept_90_days_unless_configured(monkeypatch):
    from datetime import timedelta

    monkeypatch.delenv("SESSIONBASE_NOTIFICATION_DAYS", raising=False)
    assert settings.notification_lifetime() == timedelta(days=90)
    monkeypatch.setenv("SESSIONBASE_NOTIFICATION_DAYS", "3650")
    assert settings.notification_lifetime() == timedelta(days=3650)
    for bad in ("0", "3651", "a season"):
        monkeypatch.setenv("SESSIONBASE_NOTIFICATION_DAYS", bad)
        with pytest.raises(settings.InvalidConfiguration, match="SESSIONBASE_NOTIFICATION_DAYS"):
            settings.notification_lifetime()


def test_push_is_off_and_links_go_to_the_project_site_unless_configured(monkeypatch):
    for name in ("SESSIONBASE_PUSH", "SESSIONBASE_APP_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GCLOUD_PROJECT", "demo-x")
    assert settings.push_enabled() is False
    assert settings.app_url() == "https://demo-x.web.app"
    monkeypatch.setenv("SESSIONBASE_PUSH", "On")
    monkeypatch.setenv("SESSIONBASE_APP_URL", "https://app.example.com/")
    assert settings.push_enabled() is True
    assert settings.app_url() == "https://app.example.com"


@pytest.mark.parametrize(("value", "days"), [("", None), ("off", None), ("0", None), ("30", 30)])
def test_video_retention_is_off_by_default_and_a_number_of_days(monkeypatch, value, days):
    monkeypatch.setenv("SESSIONBASE_VIDEO_RETENTION_DAYS", value)
    assert settings.video_retention_days() == days


@pytest.mark.parametrize("value", ["thirty", "-3", "4000"])
def test_a_bad_video_retention_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("SESSIONBASE_VIDEO_RETENTION_DAYS", value)
    with pytest.raises(settings.InvalidConfiguration, match="SESSIONBASE_VIDEO_RETENTION_DAYS"):
        settings.video_retention_days()


def test_rate_limits_are_the_defaults_overridden_by_the_variable(monkeypatch):
    monkeypatch.delenv("SESSIONBASE_RATE_LIMITS", raising=False)
    assert settings.rate_limits()["invitations"].most == 50
    monkeypatch.setenv("SESSIONBASE_RATE_LIMITS", "invitations=7/h")
    assert settings.rate_limits()["invitations"].most == 7
    monkeypatch.setenv("SESSIONBASE_RATE_LIMITS", "sms=1/h")
    with pytest.raises(settings.InvalidConfiguration, match="SESSIONBASE_RATE_LIMITS: 'sms=1/h'"):
        settings.rate_limits()


@pytest.mark.parametrize(
    ("value", "seconds"), [("", 30.0), ("0", 0.0), ("300", 300.0), ("OFF", None)]
)
def test_the_auth_record_window_is_seconds_or_off(monkeypatch, value, seconds):
    monkeypatch.setenv("SESSIONBASE_AUTH_RECORD_SECONDS", value)
    assert settings.auth_record_seconds() == seconds


@pytest.mark.parametrize("value", ["thirty", "-1", "301"])
def test_a_bad_auth_record_window_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("SESSIONBASE_AUTH_RECORD_SECONDS", value)
    with pytest.raises(settings.InvalidConfiguration, match="SESSIONBASE_AUTH_RECORD_SECONDS"):
        settings.auth_record_seconds()


@pytest.mark.parametrize(("value", "seconds"), [("", 2.0), ("0", 0.0), ("0.5", 0.5), ("10", 10.0)])
def test_the_check_in_count_interval_is_seconds(monkeypatch, value, seconds):
    monkeypatch.setenv("SESSIONBASE_CHECK_IN_COUNT_SECONDS", value)
    assert settings.check_in_count_seconds().total_seconds() == seconds


@pytest.mark.parametrize("value", ["two", "-1", "11", "nan", "inf"])
def test_a_bad_check_in_count_interval_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("SESSIONBASE_CHECK_IN_COUNT_SECONDS", value)
    with pytest.raises(settings.InvalidConfiguration, match="SESSIONBASE_CHECK_IN_COUNT_SECONDS"):
        settings.check_in_count_seconds()


@pytest.mark.parametrize(("value", "width"), [("", 10), ("1", 1), ("1000", 1000)])
def test_the_analysis_queue_width_is_a_whole_number(monkeypatch, value, width):
    monkeypatch.setenv("SESSIONBASE_ANALYSES_AT_ONCE", value)
    assert settings.analyses_at_once() == width


@pytest.mark.parametrize("value", ["ten", "0", "1001", "2.5"])
def test_a_bad_analysis_queue_width_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("SESSIONBASE_ANALYSES_AT_ONCE", value)
    with pytest.raises(settings.InvalidConfiguration, match="SESSIONBASE_ANALYSES_AT_ONCE"):
        settings.analyses_at_once()
