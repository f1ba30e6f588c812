// faker.mjs writes the values of form fields that @faker-js/faker makes
// from its locale data, one JSON string per line: what people type into
// names, addresses, companies, products, reviews, messages and settings,
// in a dozen languages. The seed is fixed, so the output is the same on
// every run. Used by fetch.sh: node faker.mjs <unpacked package dir>.
import { pathToFileURL } from "node:url";
import path from "node:path";

const dir = process.argv[2];
const mod = await import(pathToFileURL(path.join(dir, "package/dist/index.js")).href);
const locales = ["en", "en_GB", "de", "fr", "es", "it", "pt_BR", "nl", "pl", "sv", "tr", "ru", "ja", "zh_CN", "ko", "ar", "he", "el", "vi"];
const fields = [
  (f) => f.person.fullName(),
  (f) => f.person.jobTitle(),
  (f) => f.person.bio(),
  (f) => f.location.streetAddress(true),
  (f) => f.location.city(),
  (f) => f.location.secondaryAddress(),
  (f) => f.company.name(),
  (f) => f.company.catchPhrase(),
  (f) => f.commerce.productName(),
  (f) => f.commerce.productDescription(),
  (f) => f.commerce.department(),
  (f) => f.lorem.sentence(),
  (f) => f.lorem.paragraph(),
  (f) => f.internet.email(),
  (f) => f.internet.url(),
  (f) => f.internet.username(),
  (f) => f.internet.domainName(),
  (f) => f.internet.userAgent(),
  (f) => f.internet.ipv4(),
  (f) => f.internet.password({ length: 14, memorable: false }),
  (f) => f.phone.number(),
  (f) => f.hacker.phrase(),
  (f) => f.git.commitMessage(),
  (f) => f.system.fileName(),
  (f) => f.system.filePath(),
  (f) => f.system.directoryPath(),
  (f) => f.system.semver(),
  (f) => f.system.mimeType(),
  (f) => f.date.past().toISOString(),
  (f) => f.finance.transactionDescription(),
  (f) => f.finance.iban(),
  (f) => f.word.words(4),
  (f) => f.music.songName(),
  (f) => f.book.title(),
  (f) => f.food.description(),
  (f) => f.vehicle.vehicle(),
  (f) => f.color.human(),
  (f) => f.airline.airport().name,
];
let n = 0;
for (const loc of locales) {
  const faker = mod["faker" + loc.split("_").map((p) => p.toUpperCase() === p ? p : p.toUpperCase()).join("_")] ?? mod.allFakers?.[loc];
  if (!faker) {
    console.error(`faker.mjs: no locale ${loc}`);
    process.exit(1);
  }
  faker.seed(20261207 + n);
  for (let round = 0; round < 4; round++) {
    for (const field of fields) {
      let v;
      try {
        v = field(faker);
      } catch {
        continue; // a generator the locale has no data for
      }
      if (typeof v === "string" && v.trim() !== "") {
        console.log(JSON.stringify(v));
      }
    }
  }
  n++;
}
