# Las páginas propias de la persona con sesión iniciada: seguridad, datos y su
# información.

security-title = La seguridad de su cuenta
security-confirm-again = Confirme de nuevo un segundo factor
security-logins-heading = Inicios de sesión recientes
security-logins-intro = Revise que reconoce cada inicio de sesión. Si no reconoce alguno, quite cualquier método de inicio de sesión que no reconozca y llame a la mesa de ayuda al { $phone }.
security-when = Cuándo
security-result = Resultado
security-method = Método
security-ip = Dirección IP
security-browser = Navegador
security-success = Correcto
security-failed = Falló
security-no-logins = Todavía no hay inicios de sesión.
security-events-heading = Actividad de la cuenta
security-what-happened = Qué pasó
security-sessions-heading = Dónde tiene la sesión iniciada
security-sessions-intro = Si no reconoce alguna, ciérrela y cambie su contraseña.
security-this-browser = Este navegador
security-session-line = Dirección IP { $ip }; inició sesión el { $signed_in }
security-last-active = última actividad el { $when }
security-sign-out = Cerrar sesión
security-sign-out-label = Cerrar sesión en { $ip }, iniciada el { $when }
security-sign-out-others = Cerrar sesión en todos los demás lugares
security-factors-heading = Cómo inicia sesión
security-codes-left = { $codes ->
        [one] queda 1 código
       *[other] quedan { $codes } códigos
    }
security-factor-disabled = (desactivado después de demasiados códigos incorrectos)
security-factor-added = Agregado el { $added }; último uso: { $used }
security-never = Nunca
security-remove = Quitar
security-remove-label = Quitar { $name }
security-add-factor = Agregar otra forma de iniciar sesión
security-apps-heading = Aplicaciones en las que inicia sesión
security-app-allowed = autorizada el { $when }
security-remove-access = Quitar el acceso
security-remove-access-label = Quitar el acceso de { $name }
security-no-apps = Todavía no hay aplicaciones.
security-details-heading = Sus datos
security-change-password = Cambiar su contraseña
security-change-email = Cambiar su dirección de correo electrónico
security-delete-account = Eliminar su cuenta
security-data-heading = Su información
security-data-intro = Descargue todo lo que guardamos sobre su cuenta: los métodos de inicio de sesión (nunca sus secretos), dónde tiene la sesión iniciada, su historial de inicios de sesión y la actividad de la cuenta, las decisiones de verificación de identidad y las cartas, y las aplicaciones que autorizó.
security-download = Descargar su información (JSON)
# Cómo se inició la sesión.
method-passkey = Contraseña y llave de acceso (resistente al phishing)
method-passwordless = Llave de acceso (resistente al phishing)
method-passkey-setup = Contraseña y luego una llave de acceso nueva
method-totp = Contraseña y aplicación de autenticación
method-sms = Contraseña y mensaje de texto
method-backup-code = Contraseña y código de respaldo

password-title = Elija una contraseña nueva
password-after-temporary = Inició sesión con una contraseña temporal de la mesa de ayuda. Ya no funciona: elija ahora su propia contraseña para continuar.
password-intro = Escriba su contraseña actual y luego la nueva. Le enviaremos un correo electrónico para avisarle que su contraseña cambió.
password-current = Contraseña actual
password-new = Contraseña nueva
password-end-others = Cerrar también la sesión en todos los demás dispositivos y navegadores
password-save = Guardar la contraseña

email-change-sent = Le enviamos un código a la dirección nueva. Funciona durante { $hours ->
        [one] 1 hora
       *[other] { $hours } horas
    }. Su cuenta mantiene la dirección actual hasta que escriba el código.
email-change-code = Código del correo electrónico
email-change-code-hint = 6 dígitos, enviados a la dirección nueva
email-change-confirm = Confirmar la dirección nueva
email-change-intro = Enviaremos un código a la dirección nueva para asegurarnos de que es suya, y avisaremos del cambio a su dirección actual.
email-change-new = Dirección de correo electrónico nueva
email-change-send = Enviar un código
account-back-to-security = Volver a su página de seguridad

delete-intro = Al eliminar su cuenta se cierra la sesión en todas partes y ya no podrá usarla para iniciar sesión en ninguna herramienta. Esto no se puede deshacer.
delete-what-happens = Qué pasa con su información
delete-erased = Se borra ahora: sus métodos de inicio de sesión, su historial de inicios de sesión, su historial de seguridad, su correo electrónico, dónde tiene la sesión iniciada, los datos que escribió para verificar su identidad y las aplicaciones que autorizó.
delete-kept = Se conserva, porque lo exigen la ley y la prevención del fraude: las decisiones sobre la verificación de su identidad (con sus códigos de motivo, no sus datos), los registros de la ayuda del personal (sellados) y el registro de auditoría.
delete-hold = Si su identidad estaba verificada, podrá verificarse en una cuenta nueva después de { $days ->
        [one] 1 día
       *[other] { $days } días
    }.
delete-button = Eliminar mi cuenta
delete-keep = Conservar mi cuenta

consent-title = ¿Compartir su información con { $app }?
consent-intro = { $app } pidió que usted inicie sesión con Secure Access. Si continúa, recibirá:
consent-remove-later = Puede quitarle el acceso en cualquier momento en su
consent-security-page = página de seguridad
consent-allow = Permitir y continuar
consent-deny = No compartir
consent-scope-email = Su dirección de correo electrónico
consent-scope-profile = Su nombre verificado y su fecha de nacimiento
consent-scope-address = Su dirección según su declaración de impuestos más reciente
consent-scope-phone = Su número de teléfono
consent-scope-ssn = Su número de Seguro Social
consent-scope-verified-at = Cuándo se verificó su identidad
consent-scope-offline = Acceso mientras usted no está, hasta que desconecte la aplicación en su página de seguridad

passkey-add-title = Agregar una llave de acceso
passkey-add-intro = Seleccione el botón y siga los pasos en su dispositivo: su teléfono o computadora puede pedirle su huella digital, su cara o el bloqueo de pantalla, o que toque su llave de seguridad.
passkey-create = Crear la llave de acceso
passkey-start-again = Empezar de nuevo
passkey-check-title = Confirme con una llave de acceso
passkey-check-heading = Confirme que es usted con una llave de acceso
passkey-check-intro = La aplicación en la que está iniciando sesión pide una llave de acceso o una llave de seguridad, que los sitios web falsos no pueden engañar.
passkey-check-none = Todavía no tiene una llave de acceso. Agregue una ahora (su dispositivo puede pedirle su huella digital, su cara, el bloqueo de pantalla o que toque su llave de seguridad) y luego úsela para continuar.
passkey-check-cant = Si no puede usar una llave de acceso, vuelva a la aplicación: allí pueden decirle otras formas de entrar.
