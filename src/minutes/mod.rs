//! Minutes (議事録): Markdown rendering and redaction — pure: data in, String out.
