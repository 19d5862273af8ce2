-- The store's schema as authbot 0.1 (schema version 1) created it, frozen here on purpose:
-- tests/store/test_migrations.py builds an "old" database from this file, so later edits to
-- bot/store/migrations.py cannot quietly change what "upgrading from v1" means.
CREATE TABLE diagnoses (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    guild_id INTEGER,
    source TEXT NOT NULL,          -- diagnose | context-menu | help-channel
    text TEXT NOT NULL,            -- the REDACTED text only
    entry_id TEXT,                 -- best guess, also when abstained
    confidence REAL NOT NULL,
    abstained INTEGER NOT NULL
);
CREATE INDEX diagnoses_abstained ON diagnoses (abstained, id);

CREATE TABLE votes (
    message_id INTEGER NOT NULL,   -- the answer message the buttons sit under
    user_id INTEGER NOT NULL,
    entry_id TEXT NOT NULL,
    solved INTEGER NOT NULL,
    guild_id INTEGER,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX votes_entry ON votes (entry_id);

CREATE TABLE usage (
    kind TEXT NOT NULL,            -- command | entry
    name TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, name)
);

CREATE TABLE answered (
    target_id INTEGER PRIMARY KEY, -- a message id, or a thread id for forum posts
    answered_by TEXT NOT NULL,     -- bot | moderator
    created_at TEXT NOT NULL
);

CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (1);
