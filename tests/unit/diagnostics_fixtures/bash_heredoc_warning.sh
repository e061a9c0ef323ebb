echo before
cat <<END
unterminated here-document
