"""What the bot learns from its community: moderators' answers become labelled examples, phrasing
suggestions and eval cases (`suggest`); unanswered questions become gap clusters (`clusters`).

Pure functions over plain data: the store reads the rows, these modules decide, the renderers show.
"""
