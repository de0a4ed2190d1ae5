//! Native rendering of the picture to SVG through the same drawing code as the page.

use plotters_svg::SVGBackend;

use crate::app::App;
use crate::draw::{Pen, draw_network, draw_timeline};

/// Height of the network in a static picture, CSS px.
pub const NETWORK_HEIGHT_PX: f64 = 460.0;

/// The network above the time axis, `width` CSS px wide, as an SVG document.
pub fn render_svg(app: &mut App, width: f64) -> Result<String, String> {
    let timeline_height = app.resize(width, NETWORK_HEIGHT_PX, width);
    let height = NETWORK_HEIGHT_PX + timeline_height;
    let mut out = String::new();
    {
        let size = (width.ceil() as u32, height.ceil() as u32);
        let mut backend = SVGBackend::with_string(&mut out, size);
        draw_network(app, &mut Pen::new(&mut backend, 1.0).for_svg()).map_err(|e| e.to_string())?;
        draw_timeline(
            app,
            &mut Pen::new(&mut backend, 1.0)
                .for_svg()
                .at((0.0, NETWORK_HEIGHT_PX)),
        )
        .map_err(|e| e.to_string())?;
        plotters_backend::DrawingBackend::present(&mut backend).map_err(|e| e.to_string())?;
    }
    Ok(out)
}
