//! `producer-upload --help` and clap's usage errors in the musician's language: clap's command
//! tree with every text replaced from the catalogue, by ids made from the tree. A command's about is
//! `cli-help-<command path>` (`cli-help-main` for the command itself, `cli-help-token-set`),
//! an argument's help `cli-help-<command path>-<argument>` (`cli-help-upload-base-url`), the
//! text after a command's options the message its `after_help` names; clap's own words
//! (headings, `--help`, `--version`, defaults) are `cli-help-clap-*`.

use clap::builder::StyledStr;
use clap::error::{ContextKind, ErrorFormatter, ErrorKind};
use clap::{Arg, Command};
use producer_upload::tr;
use producer_upload::words::{FluentArgs, Words};
use std::error::Error as _;

/// `command` built, with its texts and its subcommands' in `words`.
pub fn localized(command: Command, words: &Words) -> Command {
    localize_tree(command, &mut |id, args| words.message(id, args))
}

/// `command` built, with every text replaced by `text(id, values)`.
pub fn localize_tree(
    mut command: Command,
    text: &mut dyn FnMut(&str, Option<&FluentArgs>) -> String,
) -> Command {
    // Built first, so that clap's own `--help`, `--version` and `help` are there to translate.
    command.build();
    localize(command, "", "cli-help-main", text)
}

/// `command` (at `path`, such as `-history-export`) with the about `about`, its arguments'
/// help and its subcommands'.
fn localize(
    mut command: Command,
    path: &str,
    about: &str,
    text: &mut dyn FnMut(&str, Option<&FluentArgs>) -> String,
) -> Command {
    let usage = format!(
        "{style}{heading}:{style:#}",
        style = command.get_styles().get_usage(),
        heading = text("cli-help-clap-usage", None)
    );
    command = command
        .about(text(about, None))
        .long_about(None)
        .subcommand_help_heading(text("cli-help-clap-commands", None))
        .help_template(StyledStr::from(format!(
            "{{before-help}}{{about-with-newline}}\n{usage} {{usage}}\n\n{{all-args}}{{after-help}}"
        )));
    // The command's `after_help` names the message of its text after the options.
    if let Some(after) = command.get_after_help().map(ToString::to_string) {
        command = command.after_help(text(&after, None)).after_long_help(None);
    }
    let arguments: Vec<String> = command
        .get_arguments()
        .map(|arg| arg.get_id().to_string())
        .collect();
    for id in arguments {
        let help = match id.as_str() {
            "help" => "cli-help-clap-help".to_owned(),
            "version" => "cli-help-clap-version".to_owned(),
            _ => format!("cli-help{path}-{}", id.replace('_', "-")),
        };
        command = command.mut_arg(&id, |arg| localize_arg(arg, &help, text));
    }
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .collect();
    for name in subcommands {
        command = command.mut_subcommand(&name, |sub| {
            if name == "help" {
                // clap's `help`, whose subcommands mirror its parent's.
                localize(sub, path, "cli-help-clap-help-command", text)
            } else {
                let path = format!("{path}-{name}");
                localize(sub, &path, &format!("cli-help{path}"), text)
            }
        });
    }
    command
}

/// `arg` with the help `id`, under the heading for its kind, followed by its environment
/// variable, default and possible values in words (in place of clap's English ones).
fn localize_arg(
    arg: Arg,
    id: &str,
    text: &mut dyn FnMut(&str, Option<&FluentArgs>) -> String,
) -> Arg {
    let mut help = text(id, None);
    let takes_values = arg.get_action().takes_values();
    if let Some(variable) = arg.get_env() {
        let mut args = FluentArgs::new();
        args.set("variable", variable.to_string_lossy().into_owned());
        let value = std::env::var_os(variable).unwrap_or_default();
        args.set("value", value.to_string_lossy().into_owned());
        help.push(' ');
        help.push_str(&text("cli-help-clap-env", Some(&args)));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|value| value.to_string_lossy().into_owned())
        .collect();
    if takes_values && !defaults.is_empty() {
        let mut args = FluentArgs::new();
        args.set("value", defaults.join(" "));
        help.push(' ');
        help.push_str(&text("cli-help-clap-default", Some(&args)));
    }
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|value| !value.is_hide_set())
        .map(|value| value.get_name().to_owned())
        .collect();
    if takes_values && !possible.is_empty() {
        let mut args = FluentArgs::new();
        args.set("values", possible.join(", "));
        help.push(' ');
        help.push_str(&text("cli-help-clap-possible", Some(&args)));
    }
    let heading = if arg.is_positional() {
        text("cli-help-clap-arguments", None)
    } else {
        text("cli-help-clap-options", None)
    };
    arg.help(help)
        .long_help(None)
        .help_heading(heading)
        .hide_env(true)
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// clap's usage errors (an unknown option, a bad value...) in the language in use, with the
/// usage line and the way to more help; a kind without words of its own keeps clap's.
pub struct UsageErrors;

impl ErrorFormatter for UsageErrors {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        let context = |kind: ContextKind| error.get(kind).map(ToString::to_string);
        let argument = context(ContextKind::InvalidArg).unwrap_or_default();
        let value = context(ContextKind::InvalidValue).unwrap_or_default();
        let mut message = match error.kind() {
            ErrorKind::InvalidValue if value.is_empty() => {
                tr!("cli-usage-value-missing", argument = argument)
            }
            ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
                tr!(
                    "cli-usage-invalid-value",
                    argument = argument,
                    value = value
                )
            }
            ErrorKind::UnknownArgument => tr!("cli-usage-unknown-argument", argument = argument),
            ErrorKind::InvalidSubcommand => tr!(
                "cli-usage-unknown-command",
                command = context(ContextKind::InvalidSubcommand).unwrap_or_default()
            ),
            ErrorKind::MissingRequiredArgument => {
                tr!("cli-usage-missing", arguments = argument)
            }
            ErrorKind::ArgumentConflict => match context(ContextKind::PriorArg) {
                Some(prior) if prior != argument => {
                    tr!("cli-usage-conflict", argument = argument, other = prior)
                }
                _ => tr!("cli-usage-repeated", argument = argument),
            },
            ErrorKind::TooManyValues => {
                tr!("cli-usage-too-many", argument = argument, value = value)
            }
            // Rarer ones (this command does not make them) in clap's words.
            kind => kind.as_str().unwrap_or_default().to_owned(),
        };
        if let Some(reason) = error.source() {
            message = tr!(
                "cli-usage-reason",
                message = message,
                reason = reason.to_string()
            );
        }
        let mut text = tr!("cli-error", message = message);
        if let Some(values) = context(ContextKind::ValidValue) {
            text.push_str("\n  ");
            text.push_str(&tr!("cli-help-clap-possible", values = values));
        }
        for kind in [
            ContextKind::SuggestedSubcommand,
            ContextKind::SuggestedArg,
            ContextKind::SuggestedValue,
        ] {
            if let Some(suggestion) = context(kind) {
                text.push_str("\n\n  ");
                text.push_str(&tr!("cli-usage-did-you-mean", suggestion = suggestion));
            }
        }
        if let Some(usage) = context(ContextKind::Usage) {
            // clap's usage line, its heading in words.
            let line = usage.trim_start().trim_start_matches("Usage:").trim_start();
            text.push_str(&format!("\n\n{}: {line}", tr!("cli-help-clap-usage")));
        }
        text.push_str("\n\n");
        text.push_str(&tr!("cli-usage-more", help = "--help"));
        text.push('\n');
        StyledStr::from(text)
    }
}
