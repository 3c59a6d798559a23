/*
 * slowlane.c - the bounded pool for slow handlers (see slowlane.h).
 * A mutex-protected singly linked FIFO and a condition variable.
 */
#include "http/slowlane.h"
#include "lib/log.h"

#include <pthread.h>
#include <stdlib.h>

#define MAX_THREADS 16

struct job {
	slowlane_fn fn;
	void *arg;
	struct job *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct job *head, *tail;
static size_t queued, limit;
static int stopping, running;
static pthread_t threads[MAX_THREADS];
static int nthreads;

static void *worker(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&lock);
	for (;;) {
		struct job *j;
		int cancelled;

		while (!head && !stopping)
			pthread_cond_wait(&wake, &lock);
		if (!head)
			break; /* stopping and nothing left */
		j = head;
		head = j->next;
		if (!head)
			tail = NULL;
		queued--;
		cancelled = stopping;
		pthread_mutex_unlock(&lock);
		j->fn(j->arg, cancelled);
		free(j);
		pthread_mutex_lock(&lock);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int slowlane_start(int n, size_t max_queued)
{
	int i;

	if (n < 1)
		n = 1;
	if (n > MAX_THREADS)
		n = MAX_THREADS;
	limit = max_queued;
	stopping = 0;
	for (i = 0; i < n; i++) {
		if (pthread_create(&threads[i], NULL, worker, NULL) != 0) {
			log_error("slowlane: cannot start thread %d", i);
			nthreads = i;
			slowlane_stop();
			return -1;
		}
	}
	nthreads = n;
	running = 1;
	return 0;
}

int slowlane_submit(slowlane_fn fn, void *arg)
{
	struct job *j = malloc(sizeof *j);

	if (!j)
		return -1;
	j->fn = fn;
	j->arg = arg;
	j->next = NULL;
	pthread_mutex_lock(&lock);
	if (!running || stopping || queued >= limit) {
		pthread_mutex_unlock(&lock);
		free(j);
		return -1;
	}
	if (tail)
		tail->next = j;
	else
		head = j;
	tail = j;
	queued++;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	return 0;
}

void slowlane_stop(void)
{
	int i;

	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_broadcast(&wake);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	nthreads = 0;
	running = 0;
}
