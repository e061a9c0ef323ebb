import { mean } from "./my lib/calc.mjs";

async function main() {
  await Promise.resolve();
  console.log(mean([]));
}

main();
