/// A token id. In tiktoken-format vocabularies the id of an ordinary token is also its merge rank:
/// the lower the rank, the earlier byte-pair merging creates it.
public typealias Rank = UInt32
