// Reason codes of the peer transport, counted by Transport::Rejections().
//
// Each names why a connection was dropped or an outgoing message was not queued. They are
// part of the public API (metrics and tests match on them) and never change meaning.
#pragma once

#include <string_view>

namespace tradeledger::net::reason {

// --- Handshake failures; each closes the connection. ---

// Bad length prefix, magic, message size or ephemeral key.
inline constexpr std::string_view kHandshakeMalformed = "HANDSHAKE_MALFORMED";
// The initiator speaks another protocol version.
inline constexpr std::string_view kHandshakeBadVersion = "HANDSHAKE_BAD_VERSION";
// The initiator belongs to another chain.
inline constexpr std::string_view kHandshakeWrongChain = "HANDSHAKE_WRONG_CHAIN";
// The transcript signature does not verify under the presented static key.
inline constexpr std::string_view kHandshakeBadSignature = "HANDSHAKE_BAD_SIGNATURE";
// Not finished within TransportOptions::handshake_timeout (slowloris, stuck peers).
inline constexpr std::string_view kHandshakeTimeout = "HANDSHAKE_TIMEOUT";
// The other side closed or reset the connection before the handshake finished.
inline constexpr std::string_view kHandshakeIncomplete = "HANDSHAKE_INCOMPLETE";
// An inbound connection arrived while max_handshaking others were still handshaking.
inline constexpr std::string_view kHandshakeSlotsFull = "HANDSHAKE_SLOTS_FULL";
// The initiator's static key is not in the current peer set.
inline constexpr std::string_view kPeerUnknownKey = "PEER_UNKNOWN_KEY";
// The responder's static key is not the one we dialled.
inline constexpr std::string_view kPeerWrongKey = "PEER_WRONG_KEY";

// --- Frames after the handshake; each closes the connection. ---

// The length prefix announces more than max_frame_bytes (checked before allocating).
inline constexpr std::string_view kFrameTooLarge = "FRAME_TOO_LARGE";
// Authentication failed: forged, corrupted, replayed, reordered or truncated below the tag.
inline constexpr std::string_view kFrameDecryptFailed = "FRAME_DECRYPT_FAILED";
// The responder sent bytes on a connection that carries frames only from the initiator.
inline constexpr std::string_view kFrameUnexpected = "FRAME_UNEXPECTED";

// --- Outgoing messages that were dropped; connections stay up. ---

// The peer's send queue holds max_send_queue_bytes already.
inline constexpr std::string_view kSendQueueFull = "SEND_QUEUE_FULL";
// The payload exceeds max_frame_bytes.
inline constexpr std::string_view kSendTooLarge = "SEND_TOO_LARGE";
// Send() named a key that is not in the peer set.
inline constexpr std::string_view kSendUnknownPeer = "SEND_UNKNOWN_PEER";

}  // namespace tradeledger::net::reason
