// The translation unit the shared precompiled headers are built with (cmake/tradeledger.cmake,
// TL_PCH); it has no code of its own.
