"""Classes and teams in the web app (app/src/screens/classes), in headless Chromium through the
Hosting emulator: a live class in two browsers (the coach starts it, the athlete checks in, the
coach's roster shows it without a reload), the history after a reload, making a group, inviting
(the same answer for any address), accepting, leaving, and every class screen through
check_screen at a phone's and a desktop's size.
"""

from __future__ import annotations

import re
import uuid

from devtools import emulators
from devtools.emulators import api
from tests.browser.app import check_screen, settle
from tests.uploads import ok

# In the coach's page: the moment (ms since the epoch) a roster row of `name` first says Present.
STAMP_PRESENT = """(name) => {
  window.presentAt = null;
  new MutationObserver((_, observer) => {
    const row = [...document.querySelectorAll('[aria-label="Roster"] li')]
      .find((li) => li.textContent.includes(name));
    if (row && row.textContent.includes("Present")) {
      window.presentAt = performance.timeOrigin + performance.now();
      observer.disconnect();
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}"""
# In the athlete's page: when the check-in request was sent and answered (same clock).
# (A resource's entry appears when its answer has arrived: wait_for_function, then evaluate.)
CHECK_IN_ANSWERED = """() => performance.getEntriesByType("resource")
  .some((e) => e.name.includes("/check-in"))"""
CHECK_IN_TIMES = """() => {
  const call = performance.getEntriesByType("resource").find((e) => e.name.includes("/check-in"));
  return [performance.timeOrigin + call.startTime, performance.timeOrigin + call.responseEnd];
}"""


def person(role: str, name: str) -> emulators.User:
    """A verified account with a name (members are shown by name)."""
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@example.com"
    role_claim = None if role == "athlete" else role
    return emulators.sign_up(email, "password123", role=role_claim, name=name)


def group_with(coach, *members, name: str = "Morning class") -> str:
    """A group of ``coach`` that each of ``members`` joined (invited, then accepted)."""
    group = ok(api("POST", "/api/groups", coach, json={"name": name}), 201)["groupId"]
    for member in members:
        invited = ok(
            api("POST", f"/api/groups/{group}/members", coach, json={"email": member.email}), 201
        )
        ok(api("POST", f"/api/invitations/{invited['invitationId']}/accept", member))
    return group


def test_a_live_class_in_two_browsers_and_its_history_after_a_reload(app, perf):
    coach = person("coach", "Cora Coach")
    member, absentee = person("athlete", "Ben Member"), person("athlete", "Ada Absent")
    group = group_with(coach, member, absentee)
    owner = app.sign_in(coach, f"/classes/{group}", viewport="desktop")
    athlete = app.sign_in(member, "/classes", viewport="phone")
    owner.get_by_role("heading", name="Morning class", level=1).wait_for()
    athlete.get_by_role("link", name=re.compile("Morning class")).wait_for()
    settle(athlete)
    assert athlete.get_by_role("button", name="Check in").count() == 0  # nothing live yet

    # The coach starts the class: the athlete's Classes shows it, with Check in, without a reload.
    owner.get_by_role("button", name="Start class").click()
    roster = owner.get_by_role("list", name="Roster")
    roster.locator("li", has_text="Ben Member").get_by_text("Not checked in").wait_for()
    owner.evaluate(STAMP_PRESENT, "Ben Member")
    live = athlete.get_by_role("region", name="Live now")
    live.get_by_role("button", name="Check in").click()
    # The coach's roster follows the check-in made in the other browser (listeners, no reload).
    roster.locator("li", has_text="Ben Member").get_by_text("Present", exact=True).wait_for()
    athlete.wait_for_function(CHECK_IN_ANSWERED)
    sent, answered = athlete.evaluate(CHECK_IN_TIMES)
    drawn = owner.evaluate("window.presentAt")
    perf(
        f"class check-in: request sent -> the coach's roster shows it {(drawn - sent) / 1000:.2f} s"
        f" (the API answered after {(answered - sent) / 1000:.2f} s)"
    )
    assert "Not checked in" in roster.locator("li", has_text="Ada Absent").inner_text()
    owner.get_by_text(re.compile(r"1 of 2 members checked in")).wait_for()
    live.get_by_text(re.compile(r"You are checked in: present at")).wait_for()
    check_screen(owner, "coach-class-live", settled=False)
    check_screen(athlete, "athlete-classes-live", settled=False)

    # The coach ends it: the summary says who came; the athlete's live card goes away.
    owner.get_by_role("button", name="End class").click()
    owner.get_by_text("Class ended: 1 present, 1 absent of 2.").wait_for()
    owner.get_by_role("button", name="Start class").wait_for()  # a new one may start
    live.wait_for(state="detached")
    assert ok(api("GET", f"/api/groups/{group}/active-sessions", coach))["activeSessions"] == []

    # The history survives a reload: date, length and attendance; the coach's roll, the
    # athlete's own record (the only one the rules give them).
    owner.reload()
    past = owner.get_by_role("list", name="Past classes").get_by_role("listitem").first
    past.get_by_text(re.compile(r"1 present, 1 absent")).wait_for()
    assert re.search(r"Today, .*\d+ (s|min)", past.inner_text(), re.S), past.inner_text()
    past.get_by_text("Who came").click()
    roll = past.get_by_role("list", name="Roll")
    roll.locator("li", has_text="Ben Member").get_by_text("Present", exact=True).wait_for()
    roll.locator("li", has_text="Ada Absent").get_by_text("Absent", exact=True).wait_for()
    check_screen(owner, "coach-class-history")
    athlete.goto(app.url(f"/classes/{group}"))
    mine = athlete.get_by_role("list", name="Past classes").get_by_role("listitem").first
    mine.get_by_text("Present", exact=True).wait_for()
    assert "Ada" not in athlete.locator("main").inner_text()  # nobody else's record
    check_screen(athlete, "athlete-class-history")


def test_a_group_made_invited_to_joined_and_left(app, viewport):
    coach = person("coach", "Cora Coach")
    athlete = person("athlete", "Mia Member")
    owner = app.sign_in(coach, "/classes", viewport=viewport)
    owner.get_by_text("No groups yet.", exact=False).wait_for()
    check_screen(owner, "coach-classes-empty")

    # New group: a name is asked for, then the group's page opens.
    owner.get_by_role("button", name="New group").click()
    form = owner.get_by_role("form", name="New group")
    form.get_by_role("button", name="Create group").click()
    form.get_by_text("Enter the group's name.").wait_for()
    check_screen(owner, "coach-classes-new-group")
    form.get_by_label("Name").fill("Beam squad")
    form.get_by_label("Kind").select_option("team")
    form.get_by_role("button", name="Create group").click()
    owner.get_by_role("heading", name="Beam squad", level=1).wait_for()
    group = owner.url.rsplit("/", 1)[-1]
    owner.get_by_text("Team · 0 members · you lead it").wait_for()

    # An invitation says the same whether or not the address has an account.
    invite = owner.get_by_role("form", name="Invite a member")
    invite.get_by_role("button", name="Send invitation").click()
    invite.get_by_text("Enter the e-mail address to invite.").wait_for()
    nobody = f"nobody-{uuid.uuid4().hex[:8]}@example.com"
    for address in (athlete.email, nobody):
        invite.get_by_label("Invite by e-mail").fill(address)
        invite.get_by_role("button", name="Send invitation").click()
        invite.get_by_text(f"Invitation sent to {address}.").wait_for()
    waiting = owner.get_by_role("list", name="Invitations waiting for an answer")
    waiting.get_by_text(nobody).wait_for()
    waiting.get_by_text(athlete.email).wait_for()
    check_screen(owner, "coach-group-invited")

    # The athlete accepts on Classes and is in the group; the coach's members follow live.
    page = app.sign_in(athlete, "/classes", viewport=viewport)
    invitations = page.get_by_role("region", name="Invitations to groups")
    invitations.get_by_text("Cora Coach invited you to Beam squad").wait_for()
    check_screen(page, "athlete-classes-invited")
    invitations.get_by_role("button", name="Accept").click()
    page.get_by_text("You joined Beam squad.").wait_for()
    invitations.wait_for(state="detached")
    page.get_by_role("link", name=re.compile("Beam squad.*led by Cora Coach")).wait_for()
    owner.get_by_role("list", name="Members").get_by_text("Mia Member").wait_for()
    waiting.get_by_text(athlete.email).wait_for(state="detached")
    page.get_by_role("link", name=re.compile("Beam squad.*led by Cora Coach")).click()
    page.get_by_role("heading", name="Beam squad", level=1).wait_for()
    page.get_by_text("No class has ended yet.", exact=False).wait_for()
    check_screen(page, "athlete-group")

    # Someone who is not a member finds no such group.
    stranger = person("athlete", "Sam Stranger")
    outside = app.sign_in(stranger, f"/classes/{group}", viewport=viewport)
    outside.get_by_role("heading", name="Group not found").wait_for()

    # The athlete leaves (asked once more); the coach's members follow.
    page.get_by_role("button", name="Leave…").click()
    page.get_by_role("button", name="Leave group").click()
    page.get_by_text("You left Beam squad.").wait_for()
    assert page.url.endswith("/classes")
    owner.get_by_role("list", name="Members").wait_for(state="detached")
    assert ok(api("GET", f"/api/groups/{group}", coach))["memberCount"] == 0


def test_the_coach_removes_a_member(app):
    coach = person("coach", "Cora Coach")
    member = person("athlete", "Leo Member")
    group = group_with(coach, member, name="Floor")
    owner = app.sign_in(coach, f"/classes/{group}", viewport="phone")
    members = owner.get_by_role("list", name="Members")
    members.get_by_role("button", name="Remove Leo Member").click()
    members.get_by_text("Remove Leo Member from the group?").wait_for()
    members.get_by_role("button", name="Keep").click()
    members.get_by_role("button", name="Remove Leo Member").click()
    members.get_by_role("button", name="Remove", exact=True).click()
    members.wait_for(state="detached")
    owner.get_by_text("No members yet.", exact=False).wait_for()
    assert ok(api("GET", f"/api/groups/{group}/members", coach))["members"][0]["role"] == "owner"
    assert len(ok(api("GET", f"/api/groups/{group}/members", coach))["members"]) == 1
