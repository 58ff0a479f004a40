#include "ledger/block.h"

#include "core/encoding.h"
#include "crypto/sha256.h"
#include "ledger/merkle.h"

namespace tradeledger::ledger {
namespace {

constexpr uint8_t kHeaderVersion = 1;
constexpr uint8_t kStoredBlockVersion = 1;
constexpr size_t kMaxHeaderBytes = 1024;
constexpr size_t kMaxCertificateBytes = 64 + kMaxValidators * 96;

}  // namespace

core::Bytes BlockHeader::Encode() const {
  core::Encoder e(320);
  e.PutU8(kHeaderVersion)
      .Put(chain_id.hash)
      .PutU64(height.value)
      .Put(prev_hash.hash)
      .PutU64(timestamp.value)
      .Put(proposer)
      .Put(tx_root)
      .PutU32(tx_count)
      .PutU64(log_size)
      .Put(log_root)
      .PutU64(state_height.value)
      .Put(state_root);
  return std::move(e).Take();
}

core::Result<BlockHeader> BlockHeader::Decode(core::ByteSpan bytes) {
  core::Decoder d(bytes);
  TL_RETURN_IF_ERROR(d.ExpectVersion(kHeaderVersion));
  BlockHeader h;
  TL_ASSIGN_OR_RETURN(h.chain_id.hash, d.Get<32>());
  TL_ASSIGN_OR_RETURN(h.height.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(h.prev_hash.hash, d.Get<32>());
  TL_ASSIGN_OR_RETURN(h.timestamp.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(h.proposer, d.Get<32>());
  TL_ASSIGN_OR_RETURN(h.tx_root, d.Get<32>());
  TL_ASSIGN_OR_RETURN(h.tx_count, d.GetU32());
  TL_ASSIGN_OR_RETURN(h.log_size, d.GetU64());
  TL_ASSIGN_OR_RETURN(h.log_root, d.Get<32>());
  TL_ASSIGN_OR_RETURN(h.state_height.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(h.state_root, d.Get<32>());
  TL_RETURN_IF_ERROR(d.Finish());
  if (h.height.value == 0) return core::Fail("HEADER_INVALID", "height 0 is the genesis state");
  if (h.tx_count > kMaxBlockTransactions || h.tx_count > h.log_size) {
    return core::Fail("HEADER_INVALID", "transaction count out of range");
  }
  if (h.state_height.value >= h.height.value) {
    return core::Fail("HEADER_INVALID", "state height must be below the block height");
  }
  return h;
}

BlockHash BlockHeader::Hash() const { return BlockHash{crypto::Sha256Of(Encode())}; }

core::Bytes StoredBlock::Encode() const {
  core::Bytes header_bytes = header.Encode();
  core::Bytes cert_bytes = certificate.Encode();
  size_t size = header_bytes.size() + cert_bytes.size() + 16;
  for (const SignedTransaction& tx : transactions) size += tx.envelope().size() + 4;
  core::Encoder e(size);
  e.PutU8(kStoredBlockVersion).PutBytes(header_bytes);
  e.PutU32(static_cast<uint32_t>(transactions.size()));
  for (const SignedTransaction& tx : transactions) e.PutBytes(tx.envelope());
  e.PutBytes(cert_bytes);
  return std::move(e).Take();
}

core::Result<StoredBlock> StoredBlock::Decode(core::ByteSpan bytes) {
  core::Decoder d(bytes);
  TL_RETURN_IF_ERROR(d.ExpectVersion(kStoredBlockVersion));
  StoredBlock b;
  TL_ASSIGN_OR_RETURN(core::ByteSpan header_bytes, d.GetBytes(kMaxHeaderBytes));
  TL_ASSIGN_OR_RETURN(b.header, BlockHeader::Decode(header_bytes));
  TL_ASSIGN_OR_RETURN(uint32_t n, d.GetCount(kMaxBlockTransactions));
  if (n != b.header.tx_count) {
    return core::Fail("BLOCK_INVALID", "header counts " + std::to_string(b.header.tx_count) +
                                           " transactions, block has " + std::to_string(n));
  }
  b.transactions.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    TL_ASSIGN_OR_RETURN(core::ByteSpan envelope, d.GetBytes(kMaxTransactionBytes));
    TL_ASSIGN_OR_RETURN(SignedTransaction tx, SignedTransaction::Decode(envelope));
    b.transactions.push_back(std::move(tx));
  }
  TL_ASSIGN_OR_RETURN(core::ByteSpan cert_bytes, d.GetBytes(kMaxCertificateBytes));
  TL_ASSIGN_OR_RETURN(b.certificate, CommitCertificate::Decode(cert_bytes));
  TL_RETURN_IF_ERROR(d.Finish());
  return b;
}

core::Result<BlockExcerpt> DecodeBlockExcerpt(core::ByteSpan stored_block,
                                              std::optional<uint32_t> position) {
  core::Decoder d(stored_block);
  TL_RETURN_IF_ERROR(d.ExpectVersion(kStoredBlockVersion));
  BlockExcerpt out;
  TL_ASSIGN_OR_RETURN(core::ByteSpan header_bytes, d.GetBytes(kMaxHeaderBytes));
  TL_ASSIGN_OR_RETURN(out.header, BlockHeader::Decode(header_bytes));
  TL_ASSIGN_OR_RETURN(uint32_t n, d.GetCount(kMaxBlockTransactions));
  if (n != out.header.tx_count) {
    return core::Fail("BLOCK_INVALID", "header counts " + std::to_string(out.header.tx_count) +
                                           " transactions, block has " + std::to_string(n));
  }
  if (position && *position >= n) {
    return core::Fail(
        "INVALID_ARGUMENT",
        "no transaction at position " + std::to_string(*position) + " of " + std::to_string(n));
  }
  for (uint32_t i = 0; i < n; ++i) {
    TL_ASSIGN_OR_RETURN(core::ByteSpan envelope, d.GetBytes(kMaxTransactionBytes));
    if (position && i == *position) {
      TL_ASSIGN_OR_RETURN(SignedTransaction tx, SignedTransaction::Decode(envelope));
      out.transaction = std::move(tx);
    }
  }
  TL_ASSIGN_OR_RETURN(core::ByteSpan cert_bytes, d.GetBytes(kMaxCertificateBytes));
  TL_ASSIGN_OR_RETURN(out.certificate, CommitCertificate::Decode(cert_bytes));
  TL_RETURN_IF_ERROR(d.Finish());
  return out;
}

core::Hash32 TransactionRoot(const std::vector<SignedTransaction>& transactions) {
  std::vector<core::Hash32> leaves;
  leaves.reserve(transactions.size());
  for (const SignedTransaction& tx : transactions) leaves.push_back(LeafHash(tx.id().hash.span()));
  return RootOfLeafHashes(leaves);
}

}  // namespace tradeledger::ledger
