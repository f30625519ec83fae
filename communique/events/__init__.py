"""Event coding: triggers, event types and modes, and who acts on whom."""
