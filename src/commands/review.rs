//! `rehearse review`: a past session in the terminal, Markdown, HTML or JSON.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{ReviewArgs, ReviewFormat};
use crate::config::Config;
use crate::report::Render;
use crate::report::ansi_text::AnsiText;
use crate::report::html::Html;
use crate::report::json::Json;
use crate::report::markdown::Markdown;
use crate::report::review;
use crate::session::Store;
use crate::ui;

pub fn run(config: &Config, args: &ReviewArgs) -> Result<ExitCode> {
    let store = Store::new(&config.data_dir);
    let listing = crate::session::listing(config, &store)?;
    let stored = store.find(&listing, &args.session)?;
    let doc = review::build(
        &stored.record,
        stored.status(),
        (&stored.dir, &stored.cut_off()),
        |p| p.is_file(),
    );
    let format = args.format.unwrap_or(if config.json {
        ReviewFormat::Json
    } else {
        ReviewFormat::Text
    });
    let text = match format {
        ReviewFormat::Text => AnsiText {
            width: ui::width(),
            // Colour where stdout shows it; a file or a plain terminal gets bracketed marks.
            color: args.output.is_none()
                && anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never,
        }
        .render(&doc)?,
        ReviewFormat::Md => Markdown.render(&doc)?,
        ReviewFormat::Html => Html.render(&doc)?,
        ReviewFormat::Json => Json.render(&doc)?,
    };
    super::write_or_print(config, args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
