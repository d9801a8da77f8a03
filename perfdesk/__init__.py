"""perfdesk — 预算绩效自评: budget performance self-evaluation for Chinese budget units."""

__version__ = "0.1.0"
