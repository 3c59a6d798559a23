/*
 * people_import.h - the directory from and to spreadsheets: importing
 * staff from an HR export (CSV), and exporting the profiles a viewer may
 * see (CSV or rows for JSON).
 *
 * Import. The first record is the header; columns are mapped by name,
 * without regard to case, spaces, '_', '-' or '.' ("Job Title" = "job_title"):
 *   email (the key; required), username, name / display name (or first
 *   name + last name), headline / title / job title, department, team,
 *   location / office, timezone, working hours, languages, pronouns,
 *   phone, manager / manager email (an email or username), skills
 *   ("Rust:expert; Go" - ';', ',' or '|' between skills, ':' before a
 *   level, practised when none), interests, bio, and any admin-defined
 *   profile field by its name. Other columns are reported and ignored.
 * Each row creates a staff account (no password: the person sets one
 * through a password reset or an admin) or updates the account with that
 * email. Rows are refused, with the reason, when: the email is missing or
 * invalid, appears twice in the file, belongs to a guest or remote
 * account; a value breaks a profile rule; the manager is unknown or would
 * make a loop in the reporting line.
 *
 * All or nothing per row, one transaction per file: the whole file is
 * applied in one transaction, every row inside its own savepoint, so a
 * refused row leaves nothing behind and the rows that pass are committed
 * together. Managers are set after every row exists (a manager may come
 * later in the file); a manager refused there refuses its whole row: the
 * transaction is rolled back and run again without that row. With
 * dry_run, the same is done and rolled back, so the report says what
 * would happen. While it runs, the import holds the database's write
 * lock (other writers wait, up to the 5 s busy timeout).
 *
 * Export: every person the viewer may list in the directory (the same
 * audience and visibility rules), each fact the viewer may read; for
 * staff viewers only (M_FORBIDDEN for others).
 */
#ifndef PARLEY_MODEL_PEOPLE_IMPORT_H
#define PARLEY_MODEL_PEOPLE_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "model/people.h"
#include "model/result.h"
#include "model/viewer.h"

#define IMPORT_ROWS_MAX 100000

enum import_action { IMPORT_CREATED, IMPORT_UPDATED, IMPORT_REFUSED };

struct import_row {
	int line;                          /* where the record starts in the file */
	char email[ACCOUNT_EMAIL_MAX + 1];
	char username[ACCOUNT_USERNAME_MAX + 1];
	enum import_action action;
	char reason[256];                  /* why it was refused */
};

struct import_report {
	struct import_row *rows;           /* malloc'ed */
	size_t nrows;
	size_t created, updated, refused;
	char ignored_columns[512];         /* header names that map to nothing */
	int dry_run;
};

/* Import data[0..len). M_OK with the report filled (rows may still be
 * refused); M_INVALID with err for a file that cannot be read at all (not
 * CSV, no email column, too many rows); M_ERROR when storage fails (then
 * nothing is applied). Release the report in every case. */
enum mresult people_import_csv(const char *data, size_t len, int64_t actor_id, int dry_run,
			       struct import_report *out, char *err, size_t errlen);
void import_report_release(struct import_report *r);
const char *import_action_name(enum import_action a);

/* Call fn with each exported person, as v may read them; M_FORBIDDEN for
 * non-staff. dir filters like the directory (its limit and offset are
 * ignored: everyone is exported). The view and skills are borrowed for
 * the call. */
struct profile_skill_row;
enum mresult people_export(const struct viewer *v, const char *q, const char *department,
			   const char *location, const char *language, const char *skill,
			   void (*fn)(const struct profile_view *pv, const struct profile_skill_row *skills,
				      size_t nskills, const char *manager_username, void *ctx),
			   void *ctx);
/* The export as CSV, one header record then one record per person. */
enum mresult people_export_csv(const struct viewer *v, const char *q, const char *department,
			       const char *location, const char *language, const char *skill,
			       struct buf *out);

#endif
