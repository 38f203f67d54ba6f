# Lo que comparten todas las páginas: el diseño, las partes de los formularios, las
# fechas y la página de inicio.

site-name = Secure Access
layout-skip-to-content = Saltar al contenido principal
layout-demo-label = Aviso de demostración
layout-demo-notice = Este es un servicio de demostración. Use solo información inventada: los mensajes y los códigos se escriben en el archivo de salida, no se envían.
layout-maintenance-label = Mantenimiento programado
layout-home-title = Inicio de Secure Access
layout-your-account = Su cuenta
layout-sign-out = Cerrar sesión
layout-language-label = Idioma
layout-return-to-top = Volver arriba
layout-footer = Secure Access: una cuenta, verificada una vez, para las herramientas en línea. ¿Necesita ayuda? Llame a la mesa de ayuda al { $phone } ({ $hours }).

form-error-summary = Hay un problema
form-passkey-needs-javascript = Para usar una llave de acceso se necesita JavaScript, que está desactivado en este navegador. Sus otros métodos de inicio de sesión siguen funcionando.
form-passkey-unsupported = Este navegador no puede usar llaves de acceso. Sus otros métodos de inicio de sesión siguen funcionando.
form-continue = Continuar
form-go-home = Ir a la página de inicio

page-not-found-heading = No se encontró la página
page-not-found-text = No hay ninguna página en esta dirección. Revise la dirección o empiece de nuevo desde la página de inicio.

home-title = Bienvenido
home-heading = Una cuenta para sus herramientas en línea
home-intro = Cree una cuenta de Secure Access, protéjala con un segundo paso y úsela para iniciar sesión en las herramientas en línea que la aceptan.
home-sign-in = Iniciar sesión
home-create-account = Crear una cuenta
home-what-you-need = Lo que necesita
home-need-email = Una dirección de correo electrónico que pueda abrir ahora.
home-need-phone = Un teléfono con una aplicación de autenticación (recomendado) o un teléfono que pueda recibir mensajes de texto.

# Fechas, como en "2 de marzo de 2026".
date-long = { $day } de { $month } de { $year }
month-january = enero
month-february = febrero
month-march = marzo
month-april = abril
month-may = mayo
month-june = junio
month-july = julio
month-august = agosto
month-september = septiembre
month-october = octubre
month-november = noviembre
month-december = diciembre

# Lo que dicen los scripts de las páginas (llaves de acceso, mostrar la contraseña, el
# medidor de seguridad).
js-passkey-cancelled = La solicitud de la llave de acceso se canceló o se agotó el tiempo. Inténtelo de nuevo o use otra forma de iniciar sesión.
js-passkey-exists = Este dispositivo ya tiene una llave de acceso para su cuenta. Úsela para iniciar sesión, o pruebe con otro dispositivo o llave de seguridad.
js-passkey-wrong-address = Las llaves de acceso solo funcionan en la dirección propia de este servicio ({ $origin }). Abra esa dirección e inténtelo de nuevo.
js-passkey-not-accepted = Este dispositivo o llave de seguridad no puede crear una llave de acceso que aceptemos. Pruebe con otro.
js-passkey-failed = Su llave de acceso no funcionó esta vez. Inténtelo de nuevo o use otra forma de iniciar sesión.
js-passkey-follow-steps = Siga los pasos en su dispositivo para usar su llave de acceso.
js-passkey-checking = Verificando su llave de acceso…
js-show-password = Mostrar la contraseña
js-hide-password = Ocultar la contraseña
js-password-strength = Seguridad de la contraseña
js-password-strong = Contraseña segura.
js-password-good = Contraseña buena.
js-password-weak = Todavía no es lo bastante segura:

# Páginas que solo dicen algo.
page-signed-out-heading = Ha cerrado la sesión
page-signed-out-text = Cerró la sesión de Secure Access. Puede cerrar esta ventana.
page-app-sign-in-failed-now = No podemos iniciar su sesión en esta aplicación en este momento
page-app-sign-in-failed = No podemos iniciar su sesión en esta aplicación
page-too-large-heading = Eso fue demasiado para enviar
page-too-large-text = El formulario que envió es más grande de lo que aceptamos. Regrese e inténtelo de nuevo con menos texto.
page-form-expired-heading = Este formulario venció
page-form-expired-text = Por su seguridad, los formularios solo funcionan por un tiempo y solo desde este sitio. Regrese, vuelva a cargar la página e inténtelo de nuevo.
page-saml-request-missing = La aplicación no envió ninguna solicitud de inicio de sesión (falta SAMLRequest). Vuelva a la aplicación y empiece de nuevo.
page-app-remove-failed = No pudimos quitar esa aplicación
page-deleted-heading = Se eliminó su cuenta
page-deleted-text = Se cerró su sesión en todas partes. Enviamos una confirmación por correo electrónico a la dirección que tenía su cuenta.
page-email-changed-heading = Se cambió su dirección de correo electrónico
page-email-changed-text = Los mensajes sobre su cuenta ahora van a la dirección nueva. Avisamos del cambio a la dirección anterior.
page-password-changed-heading = Se cambió su contraseña
page-password-changed-text = Se cerró la sesión en todos los dispositivos. Inicie sesión con su contraseña nueva; seguirá usando su aplicación de autenticación, su teléfono o un código de respaldo como segundo paso.
page-link-failed = Este enlace no funcionó
page-could-not-do = No pudimos hacer eso

maintenance-heading = Fuera de servicio por mantenimiento programado
maintenance-paused = Iniciar sesión y crear cuentas están en pausa mientras trabajamos.
app-returning = Le estamos devolviendo a la aplicación
app-returning-text = Ya inició sesión. Si no pasa nada,
app-continue = continúe a la aplicación
logout-title = ¿Cerrar la sesión de Secure Access?
logout-text = Usted siguió un enlace que cierra su sesión. Si no quería cerrarla, puede mantener la sesión iniciada.
logout-confirm = Sí, cerrar mi sesión
logout-stay = Mantener la sesión iniciada
saml-return-title = Volver a { $app }
saml-return-signed-in = Ya inició sesión. Seleccione Continuar para volver a { $app }.
saml-return-refused = No inició sesión en { $app }. Seleccione Continuar para volver; allí le dirán qué puede hacer.
maintenance-planned = Mantenimiento programado: de { $start } a { $end }.
maintenance-down = Secure Access está fuera de servicio por mantenimiento programado hasta { $until }. Su cuenta no tiene ningún problema; vuelva a esa hora.
