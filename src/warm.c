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

static struct docker_box *warm_box;

int
warm_start(const char *key, char *err, size_t err_size)
{
	struct docker_box_spec spec;
	char *copy = xstrdup(key);

	if (docker_spec_parse(copy, &spec) != 0) {
		util_seterr(err, err_size, "malformed box key %.200s", key);
		free(copy);
		return -1;
	}
	/* Its name and labels say it was started ahead, not for whom. */
	spec.submission_id = "warm";
	spec.role = "warm";
	warm_box = docker_box_open(&spec, err, err_size);
	free(copy);
	/* Started on a guess, not because a submission needed it. */
	docker_first_ready_reset();
	return warm_box != NULL ? 0 : -1;
}

struct docker_box *
warm_take(const struct docker_box_spec *spec)
{
	struct docker_box *box = warm_box;
	struct pollfd pfd;
	char *key;
	int same;

	if (box == NULL || (key = docker_spec_key(spec)) == NULL)
		return NULL;
	same = docker_box_key(box) != NULL && strcmp(key, docker_box_key(box)) == 0;
	if (!same)
		log_debug("warm: the box started ahead (%s) is not this one (%s)",
		    docker_box_key(box) != NULL ? docker_box_key(box) : "?", key);
	free(key);
	if (!same)
		return NULL;
	warm_box = NULL;
	/* A box that speaks unasked, or whose stream ended, died waiting. */
	pfd.fd = docker_box_fd(box);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) != 0) {
		log_warn("warm: the box started ahead did not wait; starting another");
		tally_add(TALLY_WARM_UNUSED, 1);
		docker_box_close_later(box);
		return NULL;
	}
	log_debug("warm: taking the box started ahead");
	tally_add(TALLY_WARM_TAKEN, 1);
	return box;
}

void
warm_drop(void)
{
	if (warm_box != NULL) {
		tally_add(TALLY_WARM_UNUSED, 1);
		docker_box_close_later(warm_box);
	}
	warm_box = NULL;
}
