/*
 * sqlite.c - the SQLite backend's core: connections, statement cache,
 * migrations, transactions (see store.h).
 *
 * Design. libmicrohttpd runs a pool of worker threads; each gets its own
 * SQLite connection the first time it touches storage, so threads never
 * share a connection or contend for a connection lock. WAL mode lets the
 * readers run while one writer commits. A pthread key destructor closes a
 * thread's connection when the thread exits.
 *
 * Statement cache: a small open-addressing table per connection, keyed by
 * the address of the SQL string literal, so a statement is prepared once
 * per thread and reused for the life of the connection.
 *
 * Migrations: files "migrations/NNNN_name.sql" embedded in the binary
 * (lib/embed.h), applied in order in one transaction at open; the version
 * reached is recorded in schema_version.
 */
#include "store/store.h"
#include "store/sqlite_internal.h"
#include "store/store_posts.h"
#include "lib/embed.h"
#include "lib/log.h"
#include "lib/timeutil.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STMT_CACHE 512 /* power of two; the backend has some 250 statements */

struct stmt_slot {
	const char *sql;
	sqlite3_stmt *st;
};

struct conn {
	sqlite3 *db;
	struct stmt_slot cache[STMT_CACHE];
};

static char db_path[1200];
static pthread_key_t conn_key;
static pthread_once_t conn_key_once = PTHREAD_ONCE_INIT;
static __thread struct conn *tl_conn;

static void conn_free(void *p)
{
	struct conn *c = p;
	int i;

	if (!c)
		return;
	for (i = 0; i < STMT_CACHE; i++)
		if (c->cache[i].st)
			sqlite3_finalize(c->cache[i].st);
	sqlite3_close(c->db);
	free(c);
}

static void conn_key_make(void)
{
	pthread_key_create(&conn_key, conn_free);
}

static int exec_sql(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("sqlite: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static struct conn *conn_get(void)
{
	struct conn *c;

	if (tl_conn)
		return tl_conn;
	if (!db_path[0])
		return NULL;
	c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	if (sqlite3_open_v2(db_path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_error("sqlite: cannot open %s: %s", db_path,
			  c->db ? sqlite3_errmsg(c->db) : "out of memory");
		sqlite3_close(c->db);
		free(c);
		return NULL;
	}
	sqlite3_busy_timeout(c->db, 5000);
	sqlite3_extended_result_codes(c->db, 1);
	if (exec_sql(c->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			    "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;") < 0) {
		sqlite3_close(c->db);
		free(c);
		return NULL;
	}
	pthread_once(&conn_key_once, conn_key_make);
	pthread_setspecific(conn_key, c);
	tl_conn = c;
	return c;
}

sqlite3_stmt *sq_prepare(const char *sql)
{
	struct conn *c = conn_get();
	uintptr_t h;
	unsigned i, n;

	if (!c)
		return NULL;
	h = (uintptr_t)sql;
	h ^= h >> 17;
	h *= 0x9E3779B1u;
	for (n = 0, i = (unsigned)(h & (STMT_CACHE - 1)); n < STMT_CACHE;
	     n++, i = (i + 1) & (STMT_CACHE - 1)) {
		struct stmt_slot *s = &c->cache[i];

		if (s->sql == sql) {
			sqlite3_reset(s->st);
			sqlite3_clear_bindings(s->st);
			return s->st;
		}
		if (!s->sql) {
			if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
					       &s->st, NULL) != SQLITE_OK) {
				log_error("sqlite: prepare failed: %s", sqlite3_errmsg(c->db));
				s->st = NULL;
				return NULL;
			}
			s->sql = sql;
			return s->st;
		}
	}
	log_error("sqlite: statement cache full");
	return NULL;
}

void sq_done(sqlite3_stmt *st)
{
	if (st)
		sqlite3_reset(st);
}

int sq_step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return STORE_OK;
	if (rc == SQLITE_DONE)
		return STORE_NOTFOUND;
	if ((rc & 0xff) == SQLITE_CONSTRAINT &&
	    (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY))
		return STORE_CONFLICT;
	log_error("sqlite: step failed (%d): %s", rc, sqlite3_errmsg(sqlite3_db_handle(st)));
	return STORE_ERROR;
}

int sq_exec(sqlite3_stmt *st)
{
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = sq_step(st);
	sq_done(st);
	if (rc == STORE_NOTFOUND || rc == STORE_OK)
		return STORE_OK;
	return rc;
}

int sq_exec_changed(sqlite3_stmt *st)
{
	int rc = sq_exec(st);

	if (rc != STORE_OK)
		return rc;
	return sq_changes() > 0 ? STORE_OK : STORE_NOTFOUND;
}

int sq_changes(void)
{
	struct conn *c = conn_get();

	return c ? sqlite3_changes(c->db) : 0;
}

void sq_col_text(sqlite3_stmt *st, int col, char *dst, size_t n)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	size_t len;

	if (!s) {
		dst[0] = '\0';
		return;
	}
	len = (size_t)sqlite3_column_bytes(st, col);
	if (len >= n)
		len = n - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

int sq_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	return sqlite3_bind_text(st, idx, s ? s : "", -1, SQLITE_TRANSIENT);
}

static sqlite3_stmt *prepare_ids(const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st = sq_prepare(sql);

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, b);
	return st;
}

int sq_exec_ids(const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st = prepare_ids(sql, a, b);

	return st ? sq_exec_changed(st) : STORE_ERROR;
}

int sq_exists_ids(const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st = prepare_ids(sql, a, b);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = sq_step(st);
	sq_done(st);
	return rc;
}

static void bind_named_int64(sqlite3_stmt *st, const char *name, int64_t v)
{
	int idx = sqlite3_bind_parameter_index(st, name);

	if (idx > 0)
		sqlite3_bind_int64(st, idx, v);
}

void sq_bind_audience(sqlite3_stmt *st, const struct store_audience *aud)
{
	bind_named_int64(st, ":aud_viewer", aud->viewer_id);
	bind_named_int64(st, ":aud_staff", aud->staff);
	bind_named_int64(st, ":aud_priv", aud->privileged);
}

/* ---- backup -------------------------------------------------------- */

int store_backup(const char *dest, char *err, size_t errlen)
{
	struct conn *c = conn_get();
	sqlite3 *out = NULL;
	sqlite3_backup *bk;
	struct stat st;
	int rc;

	if (!c) {
		snprintf(err, errlen, "the database is not open");
		return -1;
	}
	if (stat(dest, &st) == 0) {
		snprintf(err, errlen, "%s already exists: choose a new file name", dest);
		return -1;
	}
	if (sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot create %s: %s", dest, out ? sqlite3_errmsg(out) : "out of memory");
		sqlite3_close(out);
		return -1;
	}
	bk = sqlite3_backup_init(out, "main", c->db, "main");
	if (!bk) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(out));
		sqlite3_close(out);
		remove(dest);
		return -1;
	}
	/* copy everything in one step: a consistent snapshot */
	do {
		rc = sqlite3_backup_step(bk, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
		sqlite3_close(out);
		remove(dest);
		return -1;
	}
	if (sqlite3_close(out) != SQLITE_OK) {
		snprintf(err, errlen, "cannot finish writing %s", dest);
		remove(dest);
		return -1;
	}
	return 0;
}

/* ---- transactions ---------------------------------------------------- */

int store_begin(void)
{
	return sq_exec(sq_prepare("BEGIN IMMEDIATE")) == STORE_OK ? STORE_OK : STORE_ERROR;
}

int store_commit(void)
{
	return sq_exec(sq_prepare("COMMIT")) == STORE_OK ? STORE_OK : STORE_ERROR;
}

int store_read_begin(void)
{
	return sq_exec(sq_prepare("BEGIN DEFERRED")) == STORE_OK ? STORE_OK : STORE_ERROR;
}

void store_read_end(void)
{
	struct conn *c = conn_get();

	if (c && !sqlite3_get_autocommit(c->db))
		sq_exec(sq_prepare("COMMIT"));
}

void store_rollback(void)
{
	struct conn *c = conn_get();

	if (c && !sqlite3_get_autocommit(c->db))
		sq_exec(sq_prepare("ROLLBACK"));
}

int store_ping(void)
{
	sqlite3_stmt *st = sq_prepare("SELECT 1");
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = sq_step(st);
	sq_done(st);
	return rc == STORE_OK ? STORE_OK : STORE_ERROR;
}

/* ---- migrations ------------------------------------------------------ */

static int migration_version(const char *name)
{
	/* "migrations/0001_init.sql" -> 1 */
	const char *p = name + strlen("migrations/");
	int v = 0;

	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	return *p == '_' ? v : -1;
}

int store_schema_latest(void)
{
	const struct embedded_file *f;
	int latest = 0, v;

	for (f = embedded_files; f->name; f++)
		if (!strncmp(f->name, "migrations/", 11) && (v = migration_version(f->name)) > latest)
			latest = v;
	return latest;
}

int store_schema_version(void)
{
	sqlite3_stmt *st = sq_prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
	int v = -1;

	if (!st)
		return -1;
	if (sq_step(st) == STORE_OK)
		v = sqlite3_column_int(st, 0);
	sq_done(st);
	return v;
}

static int migrate(struct conn *c, char *err, size_t errlen)
{
	const struct embedded_file *f;
	int current, latest = store_schema_latest();

	if (exec_sql(c->db, "CREATE TABLE IF NOT EXISTS schema_version ("
			    "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)") < 0) {
		snprintf(err, errlen, "cannot create schema_version table");
		return -1;
	}
	current = store_schema_version();
	if (current < 0) {
		snprintf(err, errlen, "cannot read the schema version");
		return -1;
	}
	if (current > latest) {
		snprintf(err, errlen, "the database is at schema version %d but this parley "
			 "only knows up to %d: it was made by a newer Parley; run that version "
			 "or restore a backup", current, latest);
		return -1;
	}
	if (current == latest)
		return 0;
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "cannot begin the migration transaction");
		return -1;
	}
	/* embedded_files is sorted by name, hence by version */
	for (f = embedded_files; f->name; f++) {
		int v;
		sqlite3_stmt *st;

		if (strncmp(f->name, "migrations/", 11) || (v = migration_version(f->name)) <= current)
			continue;
		if (exec_sql(c->db, (const char *)f->data) < 0) {
			snprintf(err, errlen, "migration %s failed (see the log above)", f->name);
			store_rollback();
			return -1;
		}
		st = sq_prepare("INSERT INTO schema_version(version, applied_at) VALUES (?, ?)");
		if (!st) {
			store_rollback();
			snprintf(err, errlen, "cannot record migration %s", f->name);
			return -1;
		}
		sqlite3_bind_int(st, 1, v);
		sqlite3_bind_int64(st, 2, time_now_ms());
		if (sq_exec(st) != STORE_OK) {
			store_rollback();
			snprintf(err, errlen, "cannot record migration %s", f->name);
			return -1;
		}
		log_info("store: applied migration %s", f->name);
	}
	if (store_commit() != STORE_OK) {
		store_rollback();
		snprintf(err, errlen, "cannot commit the migrations");
		return -1;
	}
	return 0;
}

int store_open(const char *data_dir, char *err, size_t errlen)
{
	struct conn *c;

	if (mkdir(data_dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create data directory %s: %s", data_dir, strerror(errno));
		return -1;
	}
	if ((size_t)snprintf(db_path, sizeof db_path, "%s/parley.db", data_dir) >= sizeof db_path) {
		db_path[0] = '\0';
		snprintf(err, errlen, "data directory path too long");
		return -1;
	}
	c = conn_get();
	if (!c) {
		snprintf(err, errlen, "cannot open the database %s", db_path);
		db_path[0] = '\0';
		return -1;
	}
	if (migrate(c, err, errlen) < 0) {
		store_close();
		return -1;
	}
	return 0;
}

void store_close(void)
{
	if (tl_conn) {
		pthread_setspecific(conn_key, NULL);
		conn_free(tl_conn);
		tl_conn = NULL;
	}
	db_path[0] = '\0';
}
