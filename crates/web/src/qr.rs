//! QR codes for authenticator apps: an `otpauth://` URI drawn as SVG markup, for the
//! set-up page and the API's `qr_svg`.

/// The QR code of an `otpauth://` URI, as SVG markup.
pub fn qr_svg(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}
