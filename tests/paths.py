"""Reports to start from, and what each resolution path must leave behind."""

FIRM = "Northbridge Wealth Partners"
OTHER_FIRM = "Harborview Advisors"
REPORT = {
    "firm": FIRM,
    "contact_name": "Dana Whitlock",
    "contact_email": "dana.whitlock@northbridge.example",
    "summary": "Brokerage custodian: 41 accounts stale since Tuesday",
    "description": "Positions stopped updating after the custodian's redesign.",
    "severity": "partial",
    "accounts_impacted": 41,
}
OTHER_REPORT = {
    **REPORT,
    "firm": OTHER_FIRM,
    "contact_name": "Sam Okafor",
    "contact_email": "sam.okafor@harborview.example",
    "summary": "DRIP shown as buy transactions",
}

PATH_RESOLUTION = {
    "level_one": "level_one",
    "support": "support",
    "support_reopen": "support",
    "triage_data_translation": "triage",
    "triage_ci_export": "triage",
    "engineering": "engineering",
    "engineering_info": "engineering",
    "engineering_review_reject": "engineering",
    "engineering_verify_fail": "engineering",
}


def expected_priority(severity, accounts):
    """DESIGN.md's priority table, written out independently of the DMN."""
    if severity == "catastrophic":
        return "Critical"
    many = accounts >= 1000
    return {
        "partial": ("High", "Critical"),
        "limited": ("Medium", "High"),
        "minor": ("Low", "Medium"),
    }[severity][many]


def expected_emails(decisions):
    """Templates the outbox must hold after `decisions`, in order."""
    elements = [d["task"] for d in decisions]
    if elements[:2] == ["assess_issue", "resolve_directly"]:
        return ["resolution"]
    emails = ["case_logged"]
    for decision in decisions:
        task, data = decision["task"], decision["data"]
        if task == "review_setup" and data.get("resolvable_by_setup"):
            emails.append("resolution")
        if task == "research_fix" and data["outcome"] == "needs_client_info":
            emails.append("client_questions")
        if task == "technical_review" and data["approved"]:
            emails.append("fix_approved")
        if task == "close_case":
            emails.append("resolution")
        if task == "review_resolution" and data["problem_persists"]:
            emails.append("case_reopened")
        if task == "review_resolution" and not data["problem_persists"]:
            emails.append("case_closed")
    return emails
