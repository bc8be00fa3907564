//! `producer-upload token`, and the tokens every command uses: from the environment or the
//! system keychain.

use super::{say_error, EXIT_TOKEN, PLATFORM_TOKEN_ENV, TOKEN_ENV};
use clap::Subcommand;
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::filehost::PLATFORM_TOKENS_PAGE;
use producer_upload::keychain::TokenStore;
use producer_upload::token::{ApiToken, PlatformToken};
use producer_upload::tr;
use std::io::{self, IsTerminal, Read};
use std::process::ExitCode;

#[derive(Subcommand)]
pub(crate) enum TokenCommand {
    /// Save the token: read from standard input, or asked for without echo on a terminal.
    Set {
        /// Save the platform token (for files from this computer) instead of the API token.
        #[arg(long)]
        platform: bool,
    },
    /// Tell whether each token is saved (only its last four characters are shown).
    Status,
    /// Remove the saved token.
    Delete {
        /// Remove the platform token instead of the API token.
        #[arg(long)]
        platform: bool,
    },
}

/// The token from the environment, else from the keychain; never sent anywhere if neither.
pub(crate) fn load_token() -> Result<ApiToken, ErrorReport> {
    if let Ok(value) = std::env::var(TOKEN_ENV) {
        return ApiToken::parse(&value).map_err(|error| {
            ErrorReport::from_code(ErrorCode::TokenMissing).with_message(tr!(
                "cli-token-unusable",
                variable = TOKEN_ENV,
                error = error.to_string()
            ))
        });
    }
    match TokenStore::from_env().get() {
        Ok(Some(token)) => Ok(token),
        Ok(None) => Err(ErrorReport::from_code(ErrorCode::TokenMissing)
            .with_message(tr!("cli-token-missing", variable = TOKEN_ENV))),
        Err(error) => {
            let report = error.report();
            let message = tr!(
                "cli-token-variable-too",
                message = report.message.as_str(),
                variable = TOKEN_ENV
            );
            Err(report.with_message(message))
        }
    }
}

/// The platform token from the environment, else from the keychain.
pub(crate) fn load_platform_token() -> Result<PlatformToken, ErrorReport> {
    if let Ok(value) = std::env::var(PLATFORM_TOKEN_ENV) {
        return PlatformToken::parse(&value).map_err(|error| {
            ErrorReport::from_code(ErrorCode::PlatformTokenMissing).with_message(tr!(
                "cli-token-unusable",
                variable = PLATFORM_TOKEN_ENV,
                error = error.to_string()
            ))
        });
    }
    match TokenStore::from_env().get_platform() {
        Ok(Some(token)) => Ok(token),
        Ok(None) => Err(
            ErrorReport::from_code(ErrorCode::PlatformTokenMissing).with_message(tr!(
                "cli-platform-token-missing",
                page = PLATFORM_TOKENS_PAGE,
                variable = PLATFORM_TOKEN_ENV
            )),
        ),
        Err(error) => Err(
            ErrorReport::from_code(ErrorCode::PlatformTokenMissing).with_message(tr!(
                "cli-platform-token-unreadable",
                message = error.report().message,
                variable = PLATFORM_TOKEN_ENV,
                page = PLATFORM_TOKENS_PAGE
            )),
        ),
    }
}

/// " (ends in …1234)" for a token whose end may be shown, else nothing.
fn shown_end(last_four: Option<String>) -> String {
    last_four.map_or_else(String::new, |four| tr!("cli-token-end", last_four = four))
}

pub(crate) fn token(command: TokenCommand) -> ExitCode {
    let store = TokenStore::from_env();
    let result = match command {
        TokenCommand::Set { platform: true } => read_platform_token().and_then(|token| {
            store.set_platform(&token).map_err(|error| error.report())?;
            let end = shown_end(token.last_four());
            println!("{}", tr!("cli-platform-token-saved", end = end));
            Ok(ExitCode::SUCCESS)
        }),
        TokenCommand::Delete { platform: true } => store
            .delete_platform()
            .map_err(|error| error.report())
            .map(|()| {
                println!("{}", tr!("cli-platform-token-removed"));
                ExitCode::SUCCESS
            }),
        TokenCommand::Set { platform: false } => read_token().and_then(|token| {
            store.set(&token).map_err(|error| error.report())?;
            let end = shown_end(token.last_four());
            println!("{}", tr!("cli-token-saved", end = end));
            Ok(ExitCode::SUCCESS)
        }),
        TokenCommand::Status => store
            .status()
            .and_then(|api| Ok((api, store.platform_status()?)))
            .map_err(|error| error.report())
            .map(|(api, platform)| {
                for variable in [TOKEN_ENV, PLATFORM_TOKEN_ENV] {
                    if std::env::var_os(variable).is_some() {
                        println!("{}", tr!("cli-token-variable-set", variable = variable));
                    }
                }
                if platform.saved {
                    let end = shown_end(platform.last_four);
                    println!("{}", tr!("cli-platform-token-status-saved", end = end));
                } else {
                    println!("{}", tr!("cli-platform-token-status-none"));
                }
                if api.saved {
                    let end = shown_end(api.last_four);
                    println!("{}", tr!("cli-token-status-saved", end = end));
                    ExitCode::SUCCESS
                } else {
                    println!("{}", tr!("cli-token-status-none"));
                    ExitCode::from(EXIT_TOKEN)
                }
            }),
        TokenCommand::Delete { platform: false } => {
            store.delete().map_err(|error| error.report()).map(|()| {
                println!("{}", tr!("cli-token-removed"));
                ExitCode::SUCCESS
            })
        }
    };
    result.unwrap_or_else(|report| {
        say_error(&report.for_command().message);
        ExitCode::from(EXIT_TOKEN)
    })
}

/// Reads the platform token as [`read_token`] reads the API token.
fn read_platform_token() -> Result<PlatformToken, ErrorReport> {
    let text = read_secret(&tr!("cli-platform-token-prompt"))?;
    PlatformToken::parse(&text).map_err(|error| {
        ErrorReport::from_code(ErrorCode::PlatformTokenMissing).with_message(error.to_string())
    })
}

/// Reads the token without echoing it on a terminal, or from piped standard input.
fn read_token() -> Result<ApiToken, ErrorReport> {
    let text = read_secret(&tr!("cli-token-prompt"))?;
    ApiToken::parse(&text).map_err(|error| {
        ErrorReport::from_code(ErrorCode::TokenMissing).with_message(error.to_string())
    })
}

/// A secret typed without echo on a terminal, or piped on standard input.
fn read_secret(prompt: &str) -> Result<String, ErrorReport> {
    if io::stdin().is_terminal() {
        rpassword::prompt_password(format!("{prompt} "))
    } else {
        let mut text = String::new();
        io::stdin().read_to_string(&mut text).map(|_| text)
    }
    .map_err(|error| {
        ErrorReport::from_code(ErrorCode::TokenMissing)
            .with_message(tr!("cli-token-unreadable", error = error.to_string()))
    })
}
