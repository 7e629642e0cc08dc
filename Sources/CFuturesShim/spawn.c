// Starting a child process that inherits nothing it should not: no
// descriptor above 2 (a pipe left open in a daemonising child keeps its
// reader waiting for ever), an empty signal mask and default dispositions
// (threads of a test runner block signals, and children inherit the mask).
#define _GNU_SOURCE
#include "CFuturesShim.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

int fl_spawn(const char *const argv[], const char *const envp[], int stdin_fd, int stdout_fd, int stderr_fd, int *pid) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int status = posix_spawn_file_actions_init(&actions);
    if (status != 0) return status;
    status = posix_spawnattr_init(&attributes);
    if (status != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return status;
    }
    const int targets[3] = {0, 1, 2};
    const int sources[3] = {stdin_fd, stdout_fd, stderr_fd};
    for (int i = 0; i < 3 && status == 0; i++) {
        status = sources[i] < 0
            ? posix_spawn_file_actions_addopen(&actions, targets[i], "/dev/null", i == 0 ? O_RDONLY : O_WRONLY, 0)
            : posix_spawn_file_actions_adddup2(&actions, sources[i], targets[i]);
    }
    if (status == 0) status = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    sigset_t empty, all;
    sigemptyset(&empty);
    sigfillset(&all);
    if (status == 0) status = posix_spawnattr_setsigmask(&attributes, &empty);
    if (status == 0) status = posix_spawnattr_setsigdefault(&attributes, &all);
    if (status == 0) status = posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t child = 0;
    if (status == 0) status = posix_spawnp(&child, argv[0], &actions, &attributes, (char *const *)argv, (char *const *)envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (status == 0) *pid = child;
    return status;
}

int fl_pipe_cloexec(int descriptors[2]) {
    return pipe2(descriptors, O_CLOEXEC) == 0 ? 0 : errno;
}
