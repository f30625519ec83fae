"""When, where and how sure: event dates, places and status."""
