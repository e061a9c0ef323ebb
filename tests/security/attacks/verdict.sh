# Sourced by every bash attack. Each probe prints one line "verdict <probe> <outcome>": the errno name of a
# refused attempt, ESCAPED when the attempt worked, or a word the attack documents.

verdict() {
  echo "verdict $1 $2"
}

# The errno behind a tool's error message (the C library's strerror texts).
errno_of_message() {
  case "$1" in
    *"No such file or directory"*) echo ENOENT ;;
    *"Permission denied"*) echo EACCES ;;
    *"Operation not permitted"*) echo EPERM ;;
    *"Read-only file system"*) echo EROFS ;;
    *"No space left on device"*) echo ENOSPC ;;
    *"Network is unreachable"*) echo ENETUNREACH ;;
    *"Connection refused"*) echo ECONNREFUSED ;;
    *"Invalid cross-device link"*) echo EXDEV ;;
    *"Device or resource busy"*) echo EBUSY ;;
    *) echo "unexpected-error:${1//[[:space:]]/_}" ;;
  esac
}

# attempt PROBE COMMAND [ARGS...]: the command's failure is the outcome, its success an escape.
attempt() {
  local probe=$1 message
  shift
  if message=$("$@" 2>&1 >/dev/null); then
    verdict "$probe" ESCAPED
  else
    verdict "$probe" "$(errno_of_message "$message")"
  fi
}
