//! The history's schema: one migration per version.

use rusqlite_migration::M;

/// The schema, one migration per version; never edit a released one, add a new one instead.
pub(super) const MIGRATIONS: &[M<'static>] = &[
    M::up(
        "CREATE TABLE uploads (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at INTEGER NOT NULL,
        given_url TEXT NOT NULL,
        audio_url TEXT NOT NULL,
        file_name TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'interrupted')),
        source TEXT NOT NULL CHECK (source IN ('app', 'cli')),
        session_id TEXT,
        audio_id TEXT,
        task_id TEXT,
        hosted_audio_url TEXT,
        error_code TEXT,
        error_message TEXT,
        trace_id TEXT,
        http_status INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        finished_at INTEGER,
        search_text TEXT NOT NULL
    );
    -- Newest-first listing, and text search reading this index alone, in time order.
    CREATE INDEX uploads_by_time ON uploads (created_at, search_text);
    CREATE INDEX uploads_by_state ON uploads (state, created_at);
    CREATE INDEX uploads_pending ON uploads (session_id) WHERE state = 'pending';",
    ),
    // Files from this computer: size, content hash (to host the same content once) and the
    // hosted link; all three are set together, or none.
    M::up(
        "ALTER TABLE uploads ADD COLUMN file_size INTEGER;
        ALTER TABLE uploads ADD COLUMN content_hash TEXT;
        ALTER TABLE uploads ADD COLUMN file_url TEXT;
        CREATE INDEX uploads_by_content ON uploads (content_hash, id)
            WHERE content_hash IS NOT NULL;",
    ),
    // Links queued in the app and not sent yet: the `queued` state. SQLite cannot change a
    // CHECK constraint, so the table is rebuilt, keeping the counter of ids (never reused).
    M::up(
        "CREATE TABLE uploads_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at INTEGER NOT NULL,
        given_url TEXT NOT NULL,
        audio_url TEXT NOT NULL,
        file_name TEXT NOT NULL,
        state TEXT NOT NULL
            CHECK (state IN ('queued', 'pending', 'done', 'failed', 'interrupted')),
        source TEXT NOT NULL CHECK (source IN ('app', 'cli')),
        session_id TEXT,
        audio_id TEXT,
        task_id TEXT,
        hosted_audio_url TEXT,
        error_code TEXT,
        error_message TEXT,
        trace_id TEXT,
        http_status INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        finished_at INTEGER,
        search_text TEXT NOT NULL,
        file_size INTEGER,
        content_hash TEXT,
        file_url TEXT
    );
    INSERT INTO uploads_new SELECT * FROM uploads;
    DELETE FROM sqlite_sequence WHERE name = 'uploads_new';
    INSERT INTO sqlite_sequence (name, seq)
        SELECT 'uploads_new', seq FROM sqlite_sequence WHERE name = 'uploads';
    DROP TABLE uploads;
    ALTER TABLE uploads_new RENAME TO uploads;
    CREATE INDEX uploads_by_time ON uploads (created_at, search_text);
    CREATE INDEX uploads_by_state ON uploads (state, created_at);
    CREATE INDEX uploads_unsettled ON uploads (session_id) WHERE state IN ('queued', 'pending');
    CREATE INDEX uploads_by_content ON uploads (content_hash, id)
        WHERE content_hash IS NOT NULL;",
    ),
    // Songs made from audio IDs (extend, cover): see `crate::songs::store`.
    M::up(crate::songs::store::MIGRATION),
    // The file host's address a file was hosted through: its link is reused only through the
    // same address. Older records have none, and are not reused.
    M::up("ALTER TABLE uploads ADD COLUMN file_host TEXT;"),
    // What the link check found worth a look in a link sent anyway (a web page taken as audio).
    M::up("ALTER TABLE uploads ADD COLUMN warning TEXT;"),
    // When the song tasks endpoint may next be asked, by any program on this history (see
    // `crate::songs::store::take_poll_turn`).
    M::up(crate::songs::store::POLL_GATE_MIGRATION),
];
