/* SPDX-License-Identifier: GPL-2.0 */
/*
 * admin.h - hrot-admin, the operator's client of hrot-verifierd.
 *
 * A run has three steps, each in its own files so that the first and the
 * last can be tested without a server:
 *   1. parse: the command line becomes a struct admin_request (method,
 *      path, JSON body, how to print the answer); files named on the
 *      command line (policy lists and logs, fingerprints) are read here;
 *   2. send: client.c does the HTTPS call with the operator certificate;
 *   3. print: format.c turns the server's JSON into tables.
 */
#ifndef HROT_ADMIN_H
#define HROT_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <getopt.h>

struct json_object;

/* Exit codes. */
enum admin_exit {
	ADMIN_OK = 0,
	ADMIN_FAIL = 1,		/* the call or a local file failed */
	ADMIN_USAGE = 2,	/* the command line is wrong */
};

#define ADMIN_DEFAULT_URL	"https://127.0.0.1:8443"
#define ADMIN_DEFAULT_STATE	"/var/lib/hrot-verifier"
#define ADMIN_DEFAULT_TIMEOUT	30
#define ADMIN_MAX_TIMEOUT	3600
#define ADMIN_URL_ENV		"HROT_VERIFIER_URL"
#define ADMIN_ERR_SIZE		512
#define ADMIN_PATH_MAX		4096
/* Policy and component names: the store's STORE_NAME_MAX - 1. */
#define ADMIN_NAME_MAX		127

/* Global options, after defaults are applied (admin_parse()). */
struct admin_opts {
	const char *url;
	const char *state;
	bool json;
	bool help;			/* --help: print usage, nothing else */
	bool version;			/* --version */
	long timeout;			/* seconds */
	char ca[ADMIN_PATH_MAX];
	char cert[ADMIN_PATH_MAX];
	char key[ADMIN_PATH_MAX];
};

/* How the answer is printed (format.c). */
enum admin_format {
	ADMIN_FMT_DEVICE_LIST,
	ADMIN_FMT_DEVICE_SHOW,
	ADMIN_FMT_DEVICE_STATE,		/* approve, revoke, bind, fingerprint */
	ADMIN_FMT_TOKEN_REVOKE,
	ADMIN_FMT_POLICY_CREATED,
	ADMIN_FMT_POLICY_LIST,
	ADMIN_FMT_AUDIT,
	ADMIN_FMT_REVOCATIONS,
	ADMIN_FMT_PRUNE,
	ADMIN_FMT_TEXT,			/* /metrics: printed as it comes */
	ADMIN_FMT_INSTANCE_CREATED,	/* saved by cmd_instance_save() */
};

/*
 * One call to the verifier, or, for `init`, a local report.
 * @what names the operation for error messages ("approve device 000b…").
 */
struct admin_request {
	char what[160];
	const char *method;
	char path[256];
	struct json_object *body;	/* owned; NULL: no body */
	enum admin_format format;
	bool local_init;		/* `init`: nothing is sent */
	char init_state[ADMIN_PATH_MAX];
	char out_file[ADMIN_PATH_MAX];	/* instance create --out; "": stdout */
};

void admin_request_free(struct admin_request *req);

/*
 * Parse the whole command line (argv[0] is the program).  Returns ADMIN_OK
 * with @o and @req filled in, ADMIN_USAGE for a wrong command line or
 * ADMIN_FAIL for a file that cannot be used, with @err saying why.  @env
 * is getenv or a stand-in (tests).  Always release @req afterwards.
 */
typedef char *(*admin_getenv_fn)(const char *name);
int admin_parse(int argc, char **argv, admin_getenv_fn env,
		struct admin_opts *o, struct admin_request *req, char *err,
		size_t err_size);

/* Global options only (args.c); *@next is the index of the command. */
int admin_parse_global(int argc, char **argv, admin_getenv_fn env,
		       struct admin_opts *o, int *next, char *err,
		       size_t err_size);

/* The usage text, for --help and after a usage error. */
void admin_usage(FILE *out);

/* Run a parsed request, printing the answer to @out (main.c's step 2+3). */
int admin_execute(const struct admin_opts *o, struct admin_request *req,
		  FILE *out, char *err, size_t err_size);

/* The command groups: argv[0] is the group's word ("device", ...). */
int cmd_device_parse(int argc, char **argv, struct admin_request *req,
		     char *err, size_t err_size);
int cmd_token_parse(int argc, char **argv, struct admin_request *req,
		    char *err, size_t err_size);
int cmd_policy_parse(int argc, char **argv, struct admin_request *req,
		     char *err, size_t err_size);
int cmd_audit_parse(int argc, char **argv, struct admin_request *req,
		    char *err, size_t err_size);
int cmd_revocations_parse(int argc, char **argv, struct admin_request *req,
			  char *err, size_t err_size);
int cmd_prune_parse(int argc, char **argv, struct admin_request *req,
		    char *err, size_t err_size);
int cmd_metrics_parse(int argc, char **argv, struct admin_request *req,
		      char *err, size_t err_size);
int cmd_instance_parse(int argc, char **argv, struct admin_request *req,
		       char *err, size_t err_size);
/*
 * `instance create`'s answer (it holds the volume secret): checked, then
 * written as JSON to req->out_file (mode 0600, replaced atomically) with
 * a line on @out, or to @out itself when there is no --out.
 */
int cmd_instance_save(const struct admin_request *req,
		      struct json_object *resp, FILE *out, char *err,
		      size_t err_size);
int cmd_init_parse(int argc, char **argv, const struct admin_opts *o,
		   struct admin_request *req, char *err, size_t err_size);
/* `init`: what the verifier's first start left in the state directory. */
int cmd_init_run(const char *state, FILE *out, char *err, size_t err_size);

/* Helpers shared by the parsers (util.c). */
int admin_err(char *err, size_t err_size, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A device id: 68 hex digits (the AK's TPM name), lower-cased into @out. */
bool admin_parse_device_id(const char *s, char out[69]);
/* A token id: 32 hex digits, lower-cased into @out. */
bool admin_parse_token_id(const char *s, char out[33]);
/* A policy or component name: 1..ADMIN_NAME_MAX bytes, printable UTF-8. */
bool admin_name_ok(const char *s);
/* A decimal integer in [min, max]. */
bool admin_parse_long(const char *s, long min, long max, long *out);
/*
 * A command's own options and words (argv[0] is its last word; @cmd
 * names it in errors, "device approve"): each
 * @opts[i].val must be i; @values[i] receives option i's argument ("" for
 * a flag) or stays NULL.  The remaining words go to @pos/@npos.  Returns
 * ADMIN_OK or ADMIN_USAGE (unknown, repeated or valueless option).
 */
int admin_getopt(const char *cmd, int argc, char **argv,
		 const struct option *opts, const char **values, char ***pos, int *npos, char *err,
		 size_t err_size);
/*
 * A whole file of at most @max bytes, NUL-terminated (to free()), its
 * size in @len; NULL with @err naming the file and the problem.
 */
char *admin_read_file(const char *path, size_t max, size_t *len, char *err,
		      size_t err_size);
/* Reset getopt for a new parse (GNU: optind = 0 re-initialises). */
void admin_getopt_reset(void);
/* "-x" or "--name" for an option character getopt refused. */
const char *admin_bad_option(char **argv, int optopt_c);

/*
 * Policy import (policy_import.c): the entries of a reference machine's
 * log or of a sha256sum-format list, as the JSON array of
 * POST /v1/admin/policies.  Return ADMIN_OK or ADMIN_FAIL with @err.
 */
int admin_policy_entries_from_log(const char *path, const char *version,
				  struct json_object **entries, char *err,
				  size_t err_size);
int admin_policy_entries_from_list(const char *path, const char *version,
				   struct json_object **entries, char *err,
				   size_t err_size);
/* Append the entries of @more that @into lacks: 0 or -ENOMEM. */
int admin_policy_entries_merge(struct json_object *into,
			       struct json_object *more);
/*
 * Mark the entries of @programs in @into (added when missing) as programs
 * that may get component keys (seed 002): 0 or -ENOMEM.
 */
int admin_policy_entries_mark_keys(struct json_object *into,
				   struct json_object *programs);

/* Printing the answers (format.c). */
int admin_format(enum admin_format fmt, const char *what,
		 struct json_object *resp, FILE *out);

/* The HTTPS call (client.c). */
#define ADMIN_RESPONSE_MAX	(64u << 20)

struct admin_response {
	long status;		/* HTTP status */
	char *body;		/* NUL-terminated, to admin_response_free() */
	size_t len;
};

/*
 * @method @path (with its query) on o->url, with @body (JSON text, or
 * NULL) and the operator certificate.  ADMIN_OK when an answer came, of
 * any status; ADMIN_FAIL with @err when none did (files, TLS, network,
 * timeout, an answer over ADMIN_RESPONSE_MAX).
 */
int admin_http(const struct admin_opts *o, const char *method,
	       const char *path, const char *body, struct admin_response *resp,
	       char *err, size_t err_size);
void admin_response_free(struct admin_response *resp);

#endif /* HROT_ADMIN_H */
