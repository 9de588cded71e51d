/* SPDX-License-Identifier: BSD-2-Clause */
/* Catalogue commands: add, lookup, show, export, stats, verify. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalogue.h"
#include "catcli.h"
#include "bundle.h"
#include "vmpath.h"
#include "hash.h"
#include "ingest.h"
#include "scanutil.h"

/* --- shared helpers (catcli.h) --- */

int od_open_catalogue(const char *db_opt, bool readonly, od_db **db)
{
	char path[4096];
	od_err e;
	od_err_clear(&e);
	od_db_default_path(db_opt, path, sizeof(path));
	/* SQLite opens with a blocking open(): a FIFO there would hang. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "optimus-db: the catalogue %s is %s; it must be a regular file\n", path,
			od_file_type_name(st.st_mode));
		return OD_EXIT_IO;
	}
	if (od_db_open(path, readonly, db, &e))
		return od_print_fail(NULL, &e);
	return OD_EXIT_OK;
}

/* Strict: 1-4 hex digits per group, ':' between, nothing else (sscanf's %x
 * took "-1" as ffff). */
int od_parse_hex_ids(const char *s, uint16_t *out, int max)
{
	int n = 0;
	for (;;) {
		unsigned v = 0;
		int digits = 0;
		for (; digits < 5 && isxdigit((unsigned char)*s); s++, digits++)
			v = v * 16 + (unsigned)(isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10));
		if (digits == 0 || digits > 4 || n == max)
			return -1;
		out[n++] = (uint16_t)v;
		if (*s == 0)
			return n;
		if (*s++ != ':')
			return -1;
	}
}

bool od_parse_ids(const char *s, uint16_t *a, uint16_t *b)
{
	uint16_t v[2];
	if (od_parse_hex_ids(s, v, 2) != 2)
		return false;
	*a = v[0];
	*b = v[1];
	return true;
}

/* Reads vendor/device/subsystem IDs of a host PCI device from sysfs. */
static bool read_hex(const char *root, const char *bdf, const char *attr, uint16_t *v)
{
	char p[1024];
	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/%s/%s", root, bdf, attr);
	char b[32];
	long n = od_input_read(p, b, sizeof(b) - 1);
	if (n <= 0)
		return false;
	b[n] = 0;
	char *end;
	unsigned long x = strtoul(b, &end, 16);
	*v = (uint16_t)x;
	return end != b && x <= 0xffff;
}

bool od_host_ids(const char *root, const char *bdf, uint16_t ids[4])
{
	return read_hex(root, bdf, "vendor", &ids[0]) && read_hex(root, bdf, "device", &ids[1]) &&
	       read_hex(root, bdf, "subsystem_vendor", &ids[2]) && read_hex(root, bdf, "subsystem_device", &ids[3]);
}

/* --- add --- */

typedef struct add_opts {
	const char *db, *model, *bios, *kind;
	bool quiet, strict, keep_damaged;
	od_limits lim;
} add_opts;

typedef struct add_totals {
	int files, failed, roms, new_images, new_sources;
} add_totals;

static int ingest(od_db *db, const od_file *f, const char *fsha, const od_ctx *c, const add_opts *o, add_totals *t,
		  od_err *e)
{
	od_ingest_hit *hits = calloc(c->nhits ? c->nhits : 1, sizeof(*hits));
	char (*paths)[2048] = calloc(c->nhits ? c->nhits : 1, sizeof(*paths));
	if (!hits || !paths) {
		free(hits);
		free(paths);
		return od_fail(e, OD_E_NOMEM, 0, "hits");
	}
	size_t stored = 0;
	for (size_t i = 0; i < c->nhits; i++) {
		const od_hit *h = &c->hits[i];
		if (h->damaged && !o->keep_damaged)
			continue; /* a cut chain is no VBIOS: a guest would get no display */
		hits[stored++] = (od_ingest_hit){ .rom = h->rom,
						  .container_path = od_node_path(h->node, paths[i], sizeof(paths[i])),
						  .direct = h->node->parent == c->root, .damaged = h->damaged };
	}
	od_source s = { .container_name = f->name, .container_sha256 = fsha, .obtained = o->kind, .model = o->model,
			.bios_version = o->bios };
	od_ingest_counts got = { 0 };
	int rc = od_ingest_hits(db, &s, hits, stored, &got, e);
	free(hits);
	free(paths);
	if (rc)
		return rc;
	t->roms += got.roms;
	t->new_images += got.new_images;
	t->new_sources += got.new_sources;
	if (!o->quiet) {
		/* Printed only once committed, and flushed: "reported" means "durable". */
		printf("%s: %zu option ROM%s, %d new", f->path, stored, stored == 1 ? "" : "s", got.new_images);
		if (stored < c->nhits)
			printf(" (%zu damaged not stored: --keep-damaged stores them)", c->nhits - stored);
		printf("\n");
		fflush(stdout);
	}
	return OD_OK;
}

/* One input, scanned on a worker (add --jobs): nothing printed or written
 * here; done_file() does both on the main thread, in input order. */
typedef struct scanned {
	od_file f;
	od_ctx c;
	od_err e;
	int rc;
	bool loaded;
	char fsha[65]; /* the container's SHA-256, hashed here: the writer thread is the serial part of add --jobs */
} scanned;

static void scan_one(const char *path, const add_opts *o, scanned *s)
{
	od_err_clear(&s->e);
	s->loaded = od_file_load(path, &s->f, &s->e) == OD_OK;
	if (!s->loaded) {
		s->rc = s->e.code;
		return;
	}
	od_ctx_init(&s->c, s->f.name);
	s->c.lim = o->lim;
	s->rc = od_scan_file(&s->c, &s->f, o->strict, &s->e);
	od_sha256_hex(s->f.data, s->f.len, s->fsha);
}

static int done_file(od_db *db, const char *path, scanned *s, bool from_dir, const add_opts *o, add_totals *t)
{
	od_err e = s->e;
	int rc = s->rc;
	t->files++;
	if (!s->loaded) {
		od_print_err(path, &e);
		t->failed++;
		return od_exit_for(e.code);
	}
	od_ctx c = s->c;
	od_file f = s->f;
	if (rc == OD_E_UNSUPPORTED && from_dir && c.ndiags == 0) {
		/* Folders hold readme files and tools too: skip, don't fail. */
		if (!o->quiet)
			printf("%s: skipped (not firmware)\n", path);
		rc = OD_OK;
	} else {
		/* The damage rule (README "Exit codes"): every ROM found whole
		 * goes in, whatever else in the file was damaged; the file's
		 * status still says what was wrong with it. */
		if (rc && e.msg[0])
			od_print_err(path, &e);
		for (size_t i = 0; i < c.ndiags; i++) {
			char msg[OD_ERR_PATH_MAX + OD_ERR_MSG_MAX + 64];
			fprintf(stderr, "optimus-db: %s: %s: %s\n", path, c.diags[i].input ? "error" : "warning",
				od_err_str(&c.diags[i].err, msg, sizeof(msg)));
		}
		od_err ie;
		od_err_clear(&ie);
		/* A limit stopped the walk: not read, nothing stored (raise it). */
		int irc = rc && e.msg[0] && od_fatal(e.code) ? OD_OK : ingest(db, &f, s->fsha, &c, o, t, &ie);
		if (irc) {
			od_print_err(path, &ie);
			rc = irc;
		}
		if (rc)
			t->failed++;
	}
	od_ctx_free(&c);
	od_file_free(&f);
	return rc ? od_exit_for(rc) : OD_EXIT_OK;
}

/* The progress bar lives on the terminal's last line: it is erased before
 * anything else is printed (a per-file line, a warning) and drawn again after,
 * and never wider than the terminal, so "\r" always returns to its start. */
static bool bar_on;

static void progress_clear(void)
{
	if (!bar_on)
		return;
	fflush(stdout);
	fputs("\r\033[K", stderr);
	bar_on = false;
}

static void progress(const add_opts *o, int i, int n, const char *name)
{
	if (o->quiet || !isatty(2) || n < 2)
		return;
	struct winsize ws;
	int cols = ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
	int width = 30, done = n ? i * width / n : width;
	char line[512];
	int w = snprintf(line, sizeof(line), "[%.*s%*s] %d/%d ", done, "##############################", width - done, "", i, n);
	int room = cols - 1 - w; /* one column spare: no wrap on terminals that wrap early */
	fflush(stdout);
	if (room < 0)
		fprintf(stderr, "\r\033[K%d/%d", i, n);
	else
		fprintf(stderr, "\r\033[K%s%.*s", line, room, i == n ? "" : name);
	bar_on = true;
	if (i == n)
		progress_clear();
}

typedef struct file_list {
	char **v;
	int n, cap, unreadable;
	bool quiet;
} file_list;

static void list_add(file_list *l, const char *path)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, (size_t)l->cap * sizeof(char *));
		if (!l->v) {
			fprintf(stderr, "optimus-db: out of memory listing the inputs\n");
			exit(OD_EXIT_IO);
		}
	}
	l->v[l->n++] = strdup(path);
}

static void list_free(file_list *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void skip_note(const file_list *l, const char *path, const char *why)
{
	if (!l->quiet)
		printf("%s: skipped (%s)\n", path, why);
}

/* Collects the regular files under path, sorted per folder. What a folder
 * holds besides files and folders is skipped with a note, not failed: a
 * symlink to a folder is not followed (no loops; name the folder itself to
 * add it), a FIFO, socket or device is never opened. A path the user named
 * is followed and goes to add_file whatever it is, which explains a refusal. */
static void collect(const char *path, bool named, file_list *l)
{
	struct stat st;
	if ((named ? stat(path, &st) : lstat(path, &st)) != 0) {
		if (named)
			list_add(l, path); /* add_file says why it cannot be read */
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		struct stat to;
		if (stat(path, &to) != 0)
			skip_note(l, path, "a symbolic link to nothing");
		else if (S_ISREG(to.st_mode))
			list_add(l, path);
		else if (S_ISDIR(to.st_mode))
			skip_note(l, path, "a symbolic link to a folder, not followed");
		else
			skip_note(l, path, "a symbolic link to something that is not a regular file");
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (named || S_ISREG(st.st_mode))
			list_add(l, path);
		else {
			char why[64];
			snprintf(why, sizeof(why), "%s, not a regular file", od_file_type_name(st.st_mode));
			skip_note(l, path, why);
		}
		return;
	}
	struct dirent **ents;
	int k = scandir(path, &ents, NULL, alphasort);
	if (k < 0) {
		fprintf(stderr, "optimus-db: %s: cannot read the folder: %s\n", path, strerror(errno));
		l->unreadable++;
		return;
	}
	for (int i = 0; i < k; i++) {
		if (ents[i]->d_name[0] != '.') {
			char sub[4096];
			size_t pl = strlen(path);
			snprintf(sub, sizeof(sub), "%s%s%s", path, pl && path[pl - 1] == '/' ? "" : "/", ents[i]->d_name);
			collect(sub, false, l);
		}
		free(ents[i]);
	}
	free(ents);
}

/* add: workers scan (scan_one), the main thread is the one writer (done_file). */
typedef struct add_run {
	od_db *db;
	char **files;
	int n, worst;
	bool from_dir;
	const add_opts *o;
	scanned *slots;
	add_totals t;
} add_run;

static size_t add_work(int i, void *arg)
{
	add_run *r = arg;
	scanned *s = &r->slots[i];
	scan_one(r->files[i], r->o, s);
	/* What this item holds until add_done: the mapped input and what was decoded. */
	return s->loaded ? s->f.len + (size_t)s->c.out_used : 0;
}

static void add_done(int i, void *arg)
{
	add_run *r = arg;
	progress_clear();
	int rc = done_file(r->db, r->files[i], &r->slots[i], r->from_dir, r->o, &r->t);
	progress(r->o, i + 1, r->n, i + 1 < r->n ? r->files[i + 1] : "");
	if (rc > r->worst)
		r->worst = rc;
	free(r->files[i]);
}

static int parse_jobs(void *dst, const char *v)
{
	char *end;
	long j = strtol(v, &end, 10);
	if (*v < '0' || *v > '9' || *end || j < 1 || j > 256) {
		fprintf(stderr, "optimus-db add: --jobs takes a number from 1 to 256, not '%s'\n", v);
		return 1;
	}
	*(int *)dst = (int)j;
	return 0;
}

int od_cmd_add(int argc, char **argv)
{
	add_opts o = { 0 };
	od_limits_default(&o.lim);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = cores > 0 && cores <= 256 ? (int)cores : 1;
	bool any_dir = false;
	const od_opt opts[] = {
		OD_OPT_DB(&o.db),
		{ "--model", NULL, OD_OPT_STR, &o.model, NULL, "M", "laptop model the inputs belong to" },
		{ "--bios-version", NULL, OD_OPT_STR, &o.bios, NULL, "V", "BIOS version of the inputs" },
		{ "--kind", NULL, OD_OPT_STR, &o.kind, NULL, "KIND", "how the inputs were obtained: update, spi, host, rom or bundle" },
		{ "--quiet", "-q", OD_OPT_FLAG, &o.quiet, NULL, NULL, "print only the summary line" },
		{ "--strict", NULL, OD_OPT_FLAG, &o.strict, NULL, NULL, "any warning (a damaged part) fails the file (exit 2)" },
		{ "--keep-damaged", NULL, OD_OPT_FLAG, &o.keep_damaged, NULL, NULL, "also store ROMs whose own chain is cut (kind +damaged, not a VBIOS)" },
		{ "--limit", NULL, OD_OPT_FN, &o.lim, od_limit_opt, "NAME=VALUE", OD_LIMIT_HELP },
		{ "--jobs", "-j", OD_OPT_FN, &jobs, parse_jobs, "N", "scan N files at once, one writer (default: the number of cores); same results for any N" },
		OD_OPT_END,
	};
	const od_cmdline cl = { "add", "FILE|DIR...", opts, NULL, 1, -1 };
	int nops, prc;
	if (!od_args_parse(&cl, argc, argv, &nops, &prc))
		return prc;
	static const char *const kinds[] = { "update", "spi", "host", "rom", "bundle", NULL };
	bool kind_ok = !o.kind;
	for (int k = 0; o.kind && kinds[k]; k++)
		kind_ok |= !strcmp(o.kind, kinds[k]);
	if (!kind_ok)
		return od_usage_error("add", "--kind must be update, spi, host, rom or bundle");
	od_source given = { .model = o.model, .bios_version = o.bios };
	od_err ge;
	od_err_clear(&ge);
	if (od_source_check(&given, &ge))
		return od_usage_error("add", "--model/--bios-version: %s", ge.msg);
	/* Collected only once the options hold. */
	file_list l = { .quiet = o.quiet };
	for (int i = 1; i <= nops; i++) {
		struct stat st;
		any_dir |= stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode);
		collect(argv[i], true, &l);
	}
	char **files = l.v;
	int n = l.n;
	if (n == 0) {
		fprintf(stderr, "optimus-db add: no input files\n");
		int rc = l.unreadable ? OD_EXIT_IO : OD_EXIT_USAGE;
		list_free(&l);
		return rc;
	}
	od_db *db;
	int worst = od_open_catalogue(o.db, false, &db);
	if (worst) {
		list_free(&l);
		return worst;
	}
	add_run r = { .db = db, .files = files, .n = n, .from_dir = any_dir, .o = &o,
		      .worst = l.unreadable ? OD_EXIT_IO : OD_EXIT_OK, .t = { .failed = l.unreadable } };
	r.slots = calloc((size_t)n, sizeof(*r.slots));
	if (!r.slots) {
		od_db_close(db);
		list_free(&l);
		fprintf(stderr, "optimus-db: out of memory\n");
		return OD_EXIT_IO;
	}
	progress(&o, 0, n, files[0]);
	od_ordered_map(n, jobs, add_work, add_done, &r); /* add_done frees each file name */
	progress_clear();
	worst = r.worst;
	add_totals t = r.t;
	free(r.slots);
	free(files);
	od_db_close(db);
	printf("added %d file%s: %d option ROMs, %d new image%s, %d new source%s%s\n", t.files, t.files == 1 ? "" : "s",
	       t.roms, t.new_images, t.new_images == 1 ? "" : "s", t.new_sources, t.new_sources == 1 ? "" : "s",
	       t.failed ? " (some files failed: see above)" : "");
	return worst;
}

/* --- lookup / show --- */

typedef struct list_ctx {
	od_db *db;
	od_json *j;
	int count;
	bool sources;
} list_ctx;

/* lookup and show: the catalogue, opened read-only, and the list they print
 * into (JSON on stdout with --json). */
static int open_list(const char *db_opt, bool json, od_json *j, list_ctx *l)
{
	od_db *db;
	int rc = od_open_catalogue(db_opt, true, &db);
	if (rc)
		return rc;
	od_json_init(j, stdout);
	*l = (list_ctx){ .db = db, .j = json ? j : NULL };
	return OD_OK;
}

static int print_source(const od_source *s, const char *added, void *arg)
{
	list_ctx *l = arg;
	if (l->j) {
		od_json_obj_begin(l->j, NULL);
		od_json_str(l->j, "obtained", s->obtained);
		od_json_str(l->j, "container", s->container_name);
		od_json_str(l->j, "container_sha256", s->container_sha256);
		od_json_str(l->j, "path", s->container_path);
		od_json_int(l->j, "offset", (long long)s->offset);
		od_json_str(l->j, "model", s->model && *s->model ? s->model : NULL);
		od_json_str(l->j, "bios_version", s->bios_version && *s->bios_version ? s->bios_version : NULL);
		if (s->has_subsys) {
			od_json_hex(l->j, "subsystem_vendor", s->sub_vendor, 4);
			od_json_hex(l->j, "subsystem_device", s->sub_device, 4);
		}
		od_json_str(l->j, "added", added);
		od_json_obj_end(l->j);
		return 0;
	}
	static char b1[4 * OD_BUNDLE_FIELD_MAX + 8], b2[4 * OD_BUNDLE_FIELD_MAX + 8];
	printf("      from %s (%s", od_esc(s->container_path ? s->container_path : s->container_name, b1, sizeof(b1)),
	       od_esc(s->obtained, b2, sizeof(b2)));
	if (s->model && *s->model)
		printf(", %s", od_esc(s->model, b1, sizeof(b1)));
	if (s->bios_version && *s->bios_version)
		printf(", BIOS %s", od_esc(s->bios_version, b1, sizeof(b1)));
	if (s->has_subsys)
		printf(", subsystem %04x:%04x", s->sub_vendor, s->sub_device);
	printf(", added %s)\n", added);
	return 0;
}

static void json_row(list_ctx *l, const od_image_row *r)
{
	od_json *j = l->j;
	od_json_obj_begin(j, NULL);
	od_json_str(j, "sha256", r->sha256);
	od_json_int(j, "size", r->size);
	od_json_hex(j, "vendor", r->meta.vendor, 4);
	od_json_hex(j, "device", r->meta.device, 4);
	od_json_hex(j, "class", r->meta.class_code, 6);
	if (r->meta.has_subsys) {
		od_json_hex(j, "subsystem_vendor", r->meta.sub_vendor, 4);
		od_json_hex(j, "subsystem_device", r->meta.sub_device, 4);
	}
	od_json_str(j, "version", r->meta.version[0] ? r->meta.version : NULL);
	od_json_str(j, "kinds", r->meta.kinds);
	od_json_bool(j, "vbios", r->meta.is_vbios);
	if (r->match) {
		od_json_str(j, "match", r->match == 2 ? "subsystem" : "device");
		od_json_int(j, "containers", r->containers);
		od_json_int(j, "models", r->models);
	}
	od_json_str(j, "first_seen", r->first_seen);
	od_json_arr_begin(j, "sources");
	od_err e;
	od_db_sources(l->db, r->id, print_source, l, &e);
	od_json_arr_end(j);
	od_json_obj_end(j);
}

static int print_row(const od_image_row *r, void *arg)
{
	list_ctx *l = arg;
	l->count++;
	if (l->j) {
		json_row(l, r);
		return 0;
	}
	char vn[128], dn[160];
	bool named = od_pci_name(r->meta.vendor, r->meta.device, vn, sizeof(vn), dn, sizeof(dn));
	printf("  %.8s  %04x:%04x %s  %lld bytes  %s%s%s  %s%s\n", r->sha256, r->meta.vendor, r->meta.device,
	       named && dn[0] ? dn : "", (long long)r->size, r->meta.version[0] ? "version " : "", r->meta.version,
	       r->meta.version[0] ? "  " : "", r->meta.kinds, r->meta.is_vbios ? "  VBIOS" : "");
	if (r->match == 2)
		printf("      exact subsystem match\n");
	if (r->match)
		printf("      seen in %d BIOS update%s or dump%s of %d model%s\n", r->containers, r->containers == 1 ? "" : "s",
		       r->containers == 1 ? "" : "s", r->models, r->models == 1 ? "" : "s");
	if (r->meta.has_subsys)
		printf("      ROM subsystem %04x:%04x\n", r->meta.sub_vendor, r->meta.sub_device);
	od_err e;
	od_db_sources(l->db, r->id, print_source, l, &e);
	return 0;
}

int od_cmd_lookup(int argc, char **argv)
{
	const char *db_opt = NULL, *host = NULL, *root = od_sysfs_root();
	bool json = false;
	uint16_t ids[4] = { 0 };
	int nids = 0;
	const od_opt opts[] = {
		OD_OPT_DB(&db_opt),
		{ "--json", NULL, OD_OPT_FLAG, &json, NULL, NULL, "JSON output" },
		{ "--host", NULL, OD_OPT_STR, &host, NULL, "BDF", "take the IDs from this host PCI device (sysfs)" },
		{ "--sysfs-root", NULL, OD_OPT_STR, &root, NULL, "DIR", "read sysfs under DIR instead of / (tests, rescue systems)" },
		OD_OPT_END,
	};
	const od_cmdline cl = { "lookup", "VENDOR:DEVICE [SUBVENDOR:SUBDEVICE]", opts, NULL, 0, 2 };
	int nops, prc;
	if (!od_args_parse(&cl, argc, argv, &nops, &prc))
		return prc;
	for (int i = 1; i <= nops; i++, nids += 2)
		if (!od_parse_ids(argv[i], &ids[nids], &ids[nids + 1]))
			return od_usage_error("lookup", "'%s' is not VENDOR:DEVICE (two hex numbers of up to 4 digits)", argv[i]);
	if (host && nids)
		return od_usage_error("lookup", "give either IDs or --host, not both");
	if (host) {
		if (!od_host_ids(root, host, ids)) {
			fprintf(stderr, "optimus-db: cannot read PCI IDs of %s from %s/sys/bus/pci/devices\n", host, root);
			return OD_EXIT_IO;
		}
		nids = 4;
	}
	if (nids == 0)
		return od_usage_error("lookup", "expects VENDOR:DEVICE [SUBVENDOR:SUBDEVICE] or --host BDF");
	od_json j;
	list_ctx l;
	int rc = open_list(db_opt, json, &j, &l);
	if (rc)
		return rc;
	char vn[128] = "", dn[160] = "";
	od_pci_name(ids[0], ids[1], vn, sizeof(vn), dn, sizeof(dn));
	if (json) {
		od_json_obj_begin(&j, NULL);
		od_json_hex(&j, "vendor", ids[0], 4);
		od_json_hex(&j, "device", ids[1], 4);
		od_json_str(&j, "device_name", dn[0] ? dn : NULL);
		od_json_arr_begin(&j, "images");
	} else {
		printf("%04x:%04x %s %s", ids[0], ids[1], vn, dn);
		if (nids == 4)
			printf(" (subsystem %04x:%04x)", ids[2], ids[3]);
		printf("\n");
	}
	od_err e;
	od_err_clear(&e);
	rc = od_db_lookup(l.db, ids[0], ids[1], ids[2], ids[3], print_row, &l, &e);
	if (json) {
		od_json_arr_end(&j);
		od_json_obj_end(&j);
		od_json_end(&j);
	} else if (rc == OD_E_NOTFOUND) {
		printf("  no image in the catalogue; add the laptop's BIOS update with 'optimus-db add FILE'\n");
	}
	od_db_close(l.db);
	if (rc && rc != OD_E_NOTFOUND)
		od_print_err(NULL, &e);
	return od_exit_for(rc);
}

static int show_one(const od_image_row *r, void *arg)
{
	list_ctx *l = arg;
	print_row(r, l);
	uint8_t *bytes;
	size_t len;
	od_err e;
	if (!l->j && od_db_bytes(l->db, r->id, &bytes, &len, &e) == OD_OK) {
		printf("      sha256 %s, first seen %s\n", r->sha256, r->first_seen);
		od_rom_print_text(stdout, od_span_make(bytes, len, 0), "      ");
		free(bytes);
	}
	return 0;
}

int od_cmd_show(int argc, char **argv)
{
	const char *db_opt = NULL, *prefix = NULL;
	bool json = false;
	const od_opt opts[] = {
		OD_OPT_DB(&db_opt),
		{ "--json", NULL, OD_OPT_FLAG, &json, NULL, NULL, "JSON output" },
		OD_OPT_END,
	};
	const od_cmdline cl = { "show", "SHA256-PREFIX", opts, NULL, 1, 1 };
	int nops, prc;
	if (!od_args_parse(&cl, argc, argv, &nops, &prc))
		return prc;
	prefix = argv[1];
	od_json j;
	list_ctx l;
	int rc = open_list(db_opt, json, &j, &l);
	if (rc)
		return rc;
	if (json)
		od_json_arr_begin(&j, NULL);
	od_err e;
	od_err_clear(&e);
	rc = od_db_find_prefix(l.db, prefix, show_one, &l, &e);
	if (json) {
		od_json_arr_end(&j);
		od_json_end(&j);
	}
	if (rc)
		od_print_err(NULL, &e);
	od_db_close(l.db);
	return od_exit_for(rc);
}

/* --- stats / verify --- */

/* The commands whose one option is --db: parses the command line and opens
 * the catalogue read-only; NULL with *status the exit status when either
 * failed (or --help was asked). */
static od_db *db_only(const char *name, int argc, char **argv, int *status)
{
	const char *db_opt = NULL;
	const od_opt opts[] = { OD_OPT_DB(&db_opt), OD_OPT_END };
	const od_cmdline cl = { name, "", opts, NULL, 0, 0 };
	int nops;
	od_db *db = NULL;
	if (od_args_parse(&cl, argc, argv, &nops, status))
		*status = od_open_catalogue(db_opt, true, &db);
	return *status ? NULL : db;
}

int od_cmd_stats(int argc, char **argv)
{
	int rc;
	od_db *db = db_only("stats", argc, argv, &rc);
	if (!db)
		return rc;
	od_db_stats s;
	od_err e;
	if ((rc = od_db_stats_get(db, &s, &e)) == OD_OK)
		printf("%lld images (%lld VBIOS, %lld NVIDIA), %lld sources, %lld bytes of ROM data\n", (long long)s.images,
		       (long long)s.vbios, (long long)s.nvidia, (long long)s.sources, (long long)s.bytes);
	else
		od_print_err(NULL, &e);
	od_db_close(db);
	return od_exit_for(rc);
}

static int report_bad(const od_image_row *r, void *arg)
{
	(void)arg;
	fprintf(stderr, "optimus-db: image %s: stored bytes do not hash to their key\n", r->sha256);
	return 0;
}

int od_cmd_verify(int argc, char **argv)
{
	int rc;
	od_db *db = db_only("verify", argc, argv, &rc);
	if (!db)
		return rc;
	int64_t checked, bad;
	od_err e;
	od_err_clear(&e);
	rc = od_db_verify(db, &checked, &bad, report_bad, NULL, &e);
	od_db_close(db);
	if (rc) {
		od_print_err(NULL, &e);
		return od_exit_for(rc);
	}
	printf("integrity ok; %lld images re-hashed, %lld bad\n", (long long)checked, (long long)bad);
	return bad ? OD_EXIT_BADINPUT : OD_EXIT_OK;
}
