/*
 * imageid.c - image names to the engine's image ids, from one
 * `docker images` listing (or the worker's copy of one in IMAGEID_ENV).
 *
 * Names are compared in one spelling: podman lists local images as
 * "localhost/NAME" and docker may say "docker.io/library/NAME", while a
 * profile says "NAME"; a name without a tag means ":latest".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docker.h"
#include "imageid.h"
#include "util.h"

#define IMAGEID_CALL_MS		30000

struct imageid_entry {
	char	*name;		/* in the one spelling */
	char	*id;
};

static struct imageid_entry	*imageid_v;
static size_t			 imageid_n;
static int			 imageid_loaded;

/* name in the one spelling (malloc'ed). */
static char *
imageid_spell(const char *name)
{
	static const char *const prefixes[] = {
		"localhost/", "docker.io/library/", "docker.io/", NULL
	};
	const char *last;
	size_t i, n;

	for (i = 0; prefixes[i] != NULL; i++) {
		n = strlen(prefixes[i]);
		if (strncmp(name, prefixes[i], n) == 0 && name[n] != '\0') {
			name += n;
			break;
		}
	}
	last = strrchr(name, '/');
	last = last != NULL ? last + 1 : name;
	if (strchr(last, ':') == NULL && strchr(last, '@') == NULL)
		return xasprintf("%s:latest", name);
	return xstrdup(name);
}

void
imageid_reset(void)
{
	size_t i;

	for (i = 0; i < imageid_n; i++) {
		free(imageid_v[i].name);
		free(imageid_v[i].id);
	}
	free(imageid_v);
	imageid_v = NULL;
	imageid_n = 0;
	imageid_loaded = 0;
}

static void
imageid_add(const char *name, size_t name_len, const char *id, size_t id_len)
{
	char *raw = xmemdup(name, name_len);
	struct imageid_entry *e;

	/* Untagged images are no name anyone can ask for. */
	if (strstr(raw, "<none>") != NULL || id_len == 0) {
		free(raw);
		return;
	}
	imageid_v = xrealloc(imageid_v, (imageid_n + 1) * sizeof *imageid_v);
	e = &imageid_v[imageid_n++];
	e->name = imageid_spell(raw);
	e->id = xmemdup(id, id_len);
	free(raw);
}

/* Fills the table from "NAME=ID" words separated by white space. */
static void
imageid_parse_env(const char *s)
{
	const char *eq;
	size_t n;

	while (*s != '\0') {
		s += strspn(s, " \t\n");
		n = strcspn(s, " \t\n");
		eq = memchr(s, '=', n);
		if (eq != NULL && eq > s)
			imageid_add(s, (size_t)(eq - s), eq + 1, n - (size_t)(eq - s) - 1);
		s += n;
	}
}

char *
imageid_list(char *errstr, size_t errstr_size)
{
	static const char *const args[] = {
		"images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}}={{.ID}}", NULL
	};
	struct docker_cmd res;
	struct buf out;
	char *line, *save = NULL;

	if (docker_cmd_run(args, NULL, 0, IMAGEID_CALL_MS, &res, errstr, errstr_size) != 0) {
		docker_cmd_free(&res);
		return NULL;
	}
	if (res.status != 0) {
		util_seterr(errstr, errstr_size, "docker images: exit %d: %.300s", res.status,
		    res.err.data != NULL ? res.err.data : "");
		docker_cmd_free(&res);
		return NULL;
	}
	buf_init(&out);
	buf_append(&out, "", 0);
	for (line = strtok_r(res.out.data != NULL ? res.out.data : (char *)"", "\n", &save);
	    line != NULL; line = strtok_r(NULL, "\n", &save)) {
		/* One word per image: a name or id with white space is no image's. */
		if (strpbrk(line, " \t") != NULL || strchr(line, '=') == NULL ||
		    strstr(line, "<none>") != NULL)
			continue;
		buf_printf(&out, "%s%s", out.len > 0 ? " " : "", line);
	}
	docker_cmd_free(&res);
	return buf_steal(&out, NULL);
}

const char *
imageid_get(const char *name)
{
	char err[512], *spelt;
	const char *env, *at;
	size_t i;

	if (name == NULL || *name == '\0')
		return NULL;
	/* A digest names one image for ever: nothing to look up. */
	if ((at = strchr(name, '@')) != NULL && strncmp(at + 1, "sha256:", 7) == 0)
		return at + 1;
	if (!imageid_loaded) {
		imageid_loaded = 1;
		env = getenv(IMAGEID_ENV);
		if (env != NULL)
			imageid_parse_env(env);
		else {
			char *list = imageid_list(err, sizeof err);

			if (list == NULL)
				log_warn("imageid: cannot list the images (builds are not "
				    "cached): %s", err);
			else
				imageid_parse_env(list);
			free(list);
		}
	}
	spelt = imageid_spell(name);
	for (i = 0; i < imageid_n; i++)
		if (strcmp(imageid_v[i].name, spelt) == 0) {
			free(spelt);
			return imageid_v[i].id;
		}
	free(spelt);
	return NULL;
}
