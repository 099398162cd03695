/// Small built-in name lists. Mostly plain names, some with accents and apostrophes; a rare
/// few with a comma or double quotes, so that every CSV writer and reader must quote correctly.
enum Names {
  static let given: [String] = [
    "Lena", "Dmitri", "Theo", "Liam", "Kai", "Chloé", "Arjun", "Felix", "Jonas", "Ava",
    "Amara", "Nia", "Zoë", "Mateo", "Sofía", "Yuki", "Omar", "Aaliyah", "Björn", "Élodie",
    "Noah", "Priya", "Wei", "Fatima", "Hugo", "Ingrid", "José", "Leilani", "Mia", "Ravi",
    "Siobhán", "Tomás", "Ximena", "Zainab", "Emma", "Lucas", "Olivia", "Ethan", "Hana", "Malik",
    "Grace", "Diego", "Ananya", "Samuel", "Léa", "Kwame", "Isabella", "Oscar", "Maya", "Jin",
    "D'Andre", "Renée", "Matteo", "Ayşe", "Nora", "Leo", "Camila", "Elijah", "Sara", "Ibrahim",
  ]

  static let family: [String] = [
    "Rossi", "Dubois", "O'Neil", "Johnson", "Haddad", "Tanaka", "Brown", "Silva", "Kowalski",
    "Okafor", "Müller", "Smith", "Kim", "Nguyễn", "García", "Schmidt", "D'Angelo", "Patel",
    "Novák", "Ødegaard", "Cohen", "Achebe", "Lindqvist", "Yamamoto", "Mensah", "Hernández",
    "Ivanova", "Lefèvre", "Chen", "Williams", "Jensen", "Costa", "Fernández", "Nakamura",
    "Abdullah", "Martin", "Wójcik", "O'Brien", "Khan", "Santos", "Reyes", "Murphy", "Lopez",
    "Andersson", "Çelik", "Park", "Moreau", "Singh", "Takahashi", "Baptiste",
  ]

  /// Rare given names that need quoting in CSV: embedded double quotes.
  static let trickyGiven: [String] = [
    "Anna \"Annie\"", "Robert \"Bobby\"", "Maria \"Mimi\"",
  ]

  /// Rare family names that need quoting in CSV: a comma.
  static let trickyFamily: [String] = [
    "Johnson, Jr.", "Smith, III", "King, Sr.",
  ]

  static func givenName(_ rng: inout Xoshiro256) -> String {
    rng.chance(0.015) ? rng.pick(trickyGiven) : rng.pick(given)
  }

  static func familyName(_ rng: inout Xoshiro256) -> String {
    rng.chance(0.02) ? rng.pick(trickyFamily) : rng.pick(family)
  }
}
