const fs = require("fs");
const settings = fs.readFileSync("/nonexistent/settings.json", "utf8");
console.log(settings);
