/// The unified social credit code of GB 32100-2015: 18 characters, the last a check character.
public enum CreditCode {
    /// The code's alphabet: digits and capitals without I, O, Z, S and V.
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    /// 3^i mod 31 for positions 1 to 17.
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    public enum Problem: Equatable, Sendable {
        case length(Int)
        case character(Character, position: Int)
        case checkCharacter(expected: Character, found: Character)

        public var message: String {
            switch self {
            case let .length(count): "a unified social credit code has 18 characters, this one has \(count)"
            case let .character(character, position): "character \(position) '\(character)' is not allowed in a credit code (digits and capitals except I, O, Z, S, V)"
            case let .checkCharacter(expected, found): "check character is '\(found)' but should be '\(expected)'; the code is mistyped"
            }
        }
    }

    public static func problem(in code: String) -> Problem? {
        let characters = Array(code)
        guard characters.count == 18 else { return .length(characters.count) }
        var sum = 0
        for (position, character) in characters.enumerated() {
            guard let value = alphabet.firstIndex(of: character) else { return .character(character, position: position + 1) }
            if position < 17 { sum += value * weights[position] }
        }
        let expected = alphabet[(31 - sum % 31) % 31]
        return characters[17] == expected ? nil : .checkCharacter(expected: expected, found: characters[17])
    }
}
