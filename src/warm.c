/*
 * warm.c - the one box a waiting judge starts ahead of its submission
 * (see warm.h).
 */
#include "config.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "docker.h"
#include "tally.h"
#include "util.h"
#include "warm.h"

/* The boxes waiting, and whether each served a submission before (warm_adopt). */
static struct docker_box *warm_boxes[WARM_MAX];
static int warm_reused[WARM_MAX];
static size_t warm_n;

int
warm_start(const char *key, char *err, size_t err_size)
{
	struct docker_box_spec spec;
	struct docker_box *box;
	char *copy = xstrdup(key);

	if (docker_spec_parse(copy, &spec) != 0) {
		util_seterr(err, err_size, "malformed box key %.200s", key);
		free(copy);
		return -1;
	}
	/* Its name and labels say it was started ahead, not for whom. */
	spec.submission_id = "warm";
	spec.role = "warm";
	box = docker_box_open(&spec, err, err_size);
	free(copy);
	/* Started on a guess, not because a submission needed it. */
	docker_first_ready_reset();
	if (box == NULL)
		return -1;
	if (warm_n == WARM_MAX) {
		docker_box_close_later(box);
		util_seterr(err, err_size, "%d boxes wait already", WARM_MAX);
		return -1;
	}
	warm_reused[warm_n] = 0;
	warm_boxes[warm_n++] = box;
	return 0;
}

struct docker_box *
warm_take(const struct docker_box_spec *spec)
{
	struct docker_box *box = NULL;
	struct pollfd pfd;
	char *key;
	size_t i;
	int reused = 0;

	if (warm_n == 0 || (key = docker_spec_key(spec)) == NULL)
		return NULL;
	for (i = 0; i < warm_n; i++) {
		if (docker_box_key(warm_boxes[i]) != NULL &&
		    strcmp(key, docker_box_key(warm_boxes[i])) == 0) {
			box = warm_boxes[i];
			reused = warm_reused[i];
			warm_boxes[i] = warm_boxes[--warm_n];
			warm_reused[i] = warm_reused[warm_n];
			break;
		}
	}
	if (box == NULL)
		log_debug("warm: no box waiting is this one (%s)", key);
	free(key);
	if (box == NULL)
		return NULL;
	/* A box that speaks unasked, or whose stream ended, died waiting. */
	pfd.fd = docker_box_fd(box);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) != 0) {
		log_warn("warm: the box waiting did not wait; starting another");
		tally_add(reused ? TALLY_REUSE_REFUSED : TALLY_WARM_UNUSED, 1);
		docker_box_close_later(box);
		return NULL;
	}
	log_debug("warm: taking the box %s", reused ? "a submission used before" :
	    "started ahead");
	tally_add(reused ? TALLY_REUSE_TAKEN : TALLY_WARM_TAKEN, 1);
	return box;
}

void
warm_adopt(struct docker_box *box)
{
	if (warm_n == WARM_MAX) {
		docker_box_close_later(box);
		return;
	}
	warm_reused[warm_n] = 1;
	warm_boxes[warm_n++] = box;
}

struct docker_box *
warm_untaken(void)
{
	if (warm_n == 0)
		return NULL;
	return warm_boxes[--warm_n];
}

void
warm_drop(void)
{
	while (warm_n > 0) {
		warm_n--;
		if (!warm_reused[warm_n])
			tally_add(TALLY_WARM_UNUSED, 1);
		docker_box_close_later(warm_boxes[warm_n]);
	}
}
