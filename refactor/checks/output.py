"""`dockwright lint` output: one line per finding (`path:line:col: RuleName message`), a JSON
document, or SARIF 2.1.0 with one rule per BuildKit check (its docs page, the hadolint rule it
overlaps, and the codemod that fixes it)."""
from __future__ import annotations

from refactor.checks.findings import Finding
from refactor.checks.rules import RULES


def as_text(results: list[tuple[str, list[Finding]]]) -> str:
    return "".join(f.text(path) + "\n" for path, findings in results for f in findings)


def _finding_json(f: Finding) -> dict:
    return {"rule": f.rule, "line": f.line, "column": f.column, "message": f.message,
            "severity": "error" if f.error else "warning", "url": f.url,
            "hadolint": list(f.hadolint), "codemod": f.codemod}


def as_json(results: list[tuple[str, list[Finding]]], errors: list[str]) -> dict:
    return {"files": [{"path": p, "findings": [_finding_json(f) for f in fs]} for p, fs in results],
            "errors": errors,
            "summary": {"findings": sum(len(fs) for _, fs in results), "errors": len(errors)}}


def as_sarif(results: list[tuple[str, list[Finding]]]) -> dict:
    used = sorted({f.rule for _, fs in results for f in fs})
    rules = [{
        "id": name,
        "shortDescription": {"text": RULES[name].description},
        "helpUri": RULES[name].url,
        "properties": {"hadolint": list(RULES[name].hadolint), "codemod": RULES[name].codemod,
                       "source": "BuildKit build check"},
    } for name in used]
    out = [{
        "ruleId": f.rule,
        "level": "error" if f.error else "warning",
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": path},
                                            "region": {"startLine": max(f.line, 1), "startColumn": f.column}}}],
    } for path, fs in results for f in fs]
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "dockwright-lint", "rules": rules}}, "results": out}]}
