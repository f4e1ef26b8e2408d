"""Rule engine for 'mag ik dit posten?' under CVO's social-media protocol (standard library only)."""

from .answers import Answers, AnswersError, parse_answers
from .engine import evaluate
from .rules import RuleSet, RulesError, bundled_ruleset, default_rules_path, load_ruleset, validate_citations
from .scanner import Finding, scan

__all__ = [
    "Answers",
    "AnswersError",
    "Finding",
    "RuleSet",
    "RulesError",
    "bundled_ruleset",
    "default_rules_path",
    "evaluate",
    "load_ruleset",
    "parse_answers",
    "scan",
    "validate_citations",
]
