"""Community: member posts, comments, reactions and moderation (arrives with its own issue)."""
