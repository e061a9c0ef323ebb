import value from "/home/user/project/src/bad.mjs";
console.log(value);
