/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrotctl: shared declarations of the command-line tool.
 */
#ifndef HROTCTL_H
#define HROTCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

#include <hrot/hrot.h>

/* Exit statuses: as sha256sum and most tools, 2 for bad usage. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* Options that come before the command. */
struct global_opts {
	const char *device;	/* NULL: HROT_DEV_PATH */
};

/**
 * struct command - one hrotctl command
 * @name:    as typed
 * @args:    its synopsis, for usage messages
 * @summary: one line for --help
 * @run:     argv[0] is the command name; returns an EXIT_* status
 */
struct command {
	const char *name;
	const char *args;
	const char *summary;
	int (*run)(const struct global_opts *g, int argc, char **argv);
};

/* The command table, NULL-name terminated (main.c). */
extern const struct command hrotctl_commands[];

const struct command *find_command(const char *name);

/* ---- messages (util.c) --------------------------------------------------- */

/* "hrotctl: <message>" on stderr. */
void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * "hrotctl <command>: <message>" and the command's usage on stderr.
 * Return: EXIT_USAGE.
 */
int usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The command's synopsis, "usage: hrotctl [--device PATH] ...". */
void print_usage(FILE *f, const struct command *cmd);

/* ---- argument parsing (args.c) ------------------------------------------- */

/* Decimal or 0x hex, the whole string, at most 32 bits: 0 or -EINVAL. */
int parse_u32(const char *s, uint32_t *out);

/* Exactly 64 hex digits: 0 or -EINVAL. */
int parse_sha256(const char *s, uint8_t out[HROT_SHA256_SIZE]);

/*
 * Options shared by the commands that read a log or print JSON, and the
 * per-command ones.  Each parse function returns 0, or EXIT_USAGE after
 * saying why.
 */
struct info_args {
	bool json;
};

struct extend_args {
	uint32_t type;
	bool have_digest;
	uint8_t digest[HROT_SHA256_SIZE];
	const char *desc;
};

struct measure_args {
	int nr_files;
	char **files;
};

struct log_args {
	bool json;
	bool verify;
	const char *file;	/* NULL: HROT_LOG_PATH */
};

/* --count 0 and --timeout 0: no limit. */
struct monitor_args {
	bool json;
	uint32_t count;
	uint32_t timeout_s;
};

int parse_json_only(int argc, char **argv, bool *json);
int parse_monitor_args(int argc, char **argv, struct monitor_args *a);
int parse_extend_args(int argc, char **argv, struct extend_args *a);
int parse_measure_args(int argc, char **argv, struct measure_args *a);
int parse_log_args(int argc, char **argv, struct log_args *a);

/* ---- output (output.c) --------------------------------------------------- */

/* Lower-case hex of @len bytes. */
void print_hex(FILE *f, const uint8_t *p, size_t len);

/*
 * One line in sha256sum's format: "<hex>  <name>", where a name holding a
 * backslash, newline or carriage return is escaped and the line starts
 * with a backslash, as GNU coreutils does.
 */
void print_checksum_line(FILE *f, const uint8_t *digest, size_t len,
			 const char *name);

/* Print @s with backslashes and non-printable bytes as octal escapes. */
void print_text(FILE *f, const char *s);

/* The same for @len bytes that may hold NULs. */
void print_text_n(FILE *f, const char *s, size_t len);

/* JSON string of the hex of @len bytes, or NULL when out of memory. */
struct json_object *json_hex(const void *p, size_t len);

/* JSON string of a name that may be any bytes (escaped unless UTF-8). */
struct json_object *json_name(const char *name, size_t len);

/* Add @val under @key; returns false (and frees @val) on failure. */
bool json_add(struct json_object *obj, const char *key,
	      struct json_object *val);

/* Print @obj, pretty, to stdout and release it.  Return: an EXIT_* status. */
int json_print(struct json_object *obj);

/* ---- shared steps -------------------------------------------------------- */

/* "hrotctl: <command>: <device>: <hrot_strerror()>" */
void dev_error(const struct global_opts *g, const char *command,
	       enum hrot_op op, int err);

/* Open the device, or say why not.  Return: fd, or -1. */
int open_device(const struct global_opts *g, const char *command);

/*
 * Load and (if asked) verify a log, or say why not, naming the file and
 * the record.  Return: the log, or NULL.
 */
struct hrot_log *load_log(const char *command, const struct log_args *a);

/* The parsed log as JSON on stdout (log_json.c).  Return: EXIT_* status. */
int print_log_json(const struct hrot_log *log);

/* ---- commands ------------------------------------------------------------ */

int cmd_info(const struct global_opts *g, int argc, char **argv);
int cmd_extend(const struct global_opts *g, int argc, char **argv);
int cmd_measure(const struct global_opts *g, int argc, char **argv);
int cmd_log(const struct global_opts *g, int argc, char **argv);
int cmd_replay(const struct global_opts *g, int argc, char **argv);
int cmd_fingerprint(const struct global_opts *g, int argc, char **argv);
int cmd_identity(const struct global_opts *g, int argc, char **argv);
int cmd_quote(const struct global_opts *g, int argc, char **argv);
int cmd_verify_quote(const struct global_opts *g, int argc, char **argv);
int cmd_makecredential(const struct global_opts *g, int argc, char **argv);
int cmd_activate_credential(const struct global_opts *g, int argc,
			    char **argv);
int cmd_monitor(const struct global_opts *g, int argc, char **argv);

#endif /* HROTCTL_H */
