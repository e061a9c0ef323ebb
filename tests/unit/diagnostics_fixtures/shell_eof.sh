echo hi
if true; then
  echo unterminated
