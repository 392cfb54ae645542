/* OpenSSL's SHA-256 with its state in the open (SHA256_CTX), which OpenSSL 3 marks deprecated
   in favour of EVP, whose contexts cannot be kept between processes. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
