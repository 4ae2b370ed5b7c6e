"""How service levels read: words for pages, list badges and backlog reasons."""

STATE_WORDS = {
    "met": "met",
    "running": "on track",
    "paused": "paused, waiting for the client",
    "at_risk": "at risk",
    "breached": "breached",
}
BADGE_ORDER = {"breached": 0, "at_risk": 1, "running": 2, "paused": 3}


def worst_state(levels):
    """The state of the running clock most in need of attention; once every
    clock has stopped, `breached` if one missed its target, else `met`."""
    running = [c.state for c in levels.clocks.values() if not c.stopped]
    order = ("breached", "at_risk", "running", "paused")
    if running:
        return next(state for state in order if state in running)
    missed = any(c.state == "breached" for c in levels.clocks.values())
    return "breached" if missed else "met"


def for_page(levels, day_seconds):
    """What a case page shows: the priority the targets come from, the overall
    state, and per clock its state in words, time used, left and allowed."""
    return {
        "priority": levels.priority,
        "provisional": levels.provisional,
        "state": worst_state(levels),
        "clocks": clock_rows(levels, day_seconds),
    }


def clocks_in_short(levels, day_seconds):
    """{target: its state and times in a few words}, for list rows and CSV:
    `on track: 3 h used, 5 h left`, `breached: 2 h over`, `met: 40 min used`."""
    return {row["target"]: _in_short(row) for row in clock_rows(levels, day_seconds)}


def _in_short(row):
    state = row["words"]
    if row["state"] == "breached":
        return f"{state}: {row['over']} over"
    if row["stopped_at"] is not None:
        return f"{state}: {row['used']} used"
    return f"{state}: {row['used']} used, {row['left']} left"


def clock_rows(levels, day_seconds):
    return [
        {
            "target": target,
            "state": clock.state,
            "words": STATE_WORDS[clock.state],
            "used": business_span(clock.used_seconds, day_seconds),
            "left": business_span(max(clock.left_seconds, 0), day_seconds),
            "over": business_span(max(-clock.left_seconds, 0), day_seconds),
            "of": business_span(clock.target_seconds, day_seconds),
            "due_at": clock.due_at,
            "breached_at": clock.breached_at,
            "stopped_at": clock.stopped_at,
        }
        for target, clock in levels.clocks.items()
    ]


def badge(levels):
    """The most urgent running clock of a case, for a list row: breached, then
    at risk, then running, then paused, soonest first; None once both stopped."""
    running = [c for c in levels.clocks.values() if not c.stopped]
    if not running:
        return None
    clock = min(
        running,
        key=lambda c: (
            BADGE_ORDER[c.state],
            c.breached_at or c.due_at or c.started_at,
        ),
    )
    return {
        "target": clock.target,
        "state": clock.state,
        "words": f"{clock.target} {STATE_WORDS[clock.state]}",
        "due_at": clock.due_at,
        "breached_at": clock.breached_at,
    }


def reasons(levels, now):
    """Why the clocks move a case up the backlog, in words; [] when they do not."""
    said = []
    for clock in levels.clocks.values():
        if clock.stopped:
            continue
        if clock.state == "breached":
            since = ago((now - clock.breached_at).total_seconds())
            said.append(f"{clock.target} target breached {since}")
        elif clock.state == "at_risk":
            within = due_in((clock.due_at - now).total_seconds())
            said.append(f"{clock.target} target at risk: due {within}")
    return said


def ago(seconds):
    """`just now` within the minute, else `45 min ago`, `3 h ago`, `2 days ago`."""
    if seconds < 60:
        return "just now"
    return f"{wall_span(seconds)} ago"


def due_in(seconds):
    """What follows "due": `now` within the minute, else `in 45 min`, `in 3 h`."""
    if seconds < 60:
        return "now"
    return f"in {wall_span(seconds)}"


def business_span(seconds, day_seconds):
    """Business time as people say it, to the nearest minute: `3 h 20 min`,
    `2 working days 3 h`; so time used and time left add up to what is allowed."""
    minutes = round(seconds / 60)
    days, minutes = divmod(minutes, int(day_seconds // 60))
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} working day{'s' if days != 1 else ''}"] if days else []
    if hours:
        parts.append(f"{hours} h")
    if minutes:
        parts.append(f"{minutes} min")
    return " ".join(parts) or "0 min"


def wall_span(seconds):
    """Elapsed time as people say it: `45 min`, `3 h`, `2 days`; hours and days
    to the nearest one (71 h 59 min is `3 days`)."""
    minutes = max(int(seconds // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60 - 30:
        return f"{round(minutes / 60)} h"
    return f"{round(minutes / (24 * 60))} days"
