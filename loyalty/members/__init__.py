"""Members of the loyalty program: one per user, with number, membership dates, locale and consent."""
