"""Community: member posts, comments, hearts, tips, badges and moderation, part of the loyalty program."""
