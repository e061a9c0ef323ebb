greet() {
  echo "hello $1"
  no_such_tool "$1"
}
